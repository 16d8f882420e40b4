package main

import "testing"

func TestHeaderDataKind(t *testing.T) {
	tests := []struct {
		name string
		data bool
	}{
		// Data read as a header.
		{"alice@example.com", true},
		{"ALICE@CORP", true},
		{"mailto:alice@corp.com", true},
		{"Alice <alice@corp.com>", true},
		{"+1 415 555 2671", true},
		{"(415) 555-2671", true},
		{"4155552671", true},
		{"14155552671", true},
		{"tel:+14155552671", true},
		{"078-05-1120", true},
		{"4111 1111 1111 1111", true},
		{"192.168.10.1", true},

		// Column names.
		{"email", false},
		{"phone_number", false},
		{"ssn", false},
		{"zip5", false},
		{"2024", false},
		{"123456", false},
		{"col_123456789", false},
		{"price@2024 usd", false},
		{"@timestamp", false},
		{"v1.2.3.4", false},
		{"Jordan", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := headerDataKind(tt.name)
			if (got != "") != tt.data {
				t.Errorf("headerDataKind(%q) = %q, want data %v", tt.name, got, tt.data)
			}
		})
	}
}
