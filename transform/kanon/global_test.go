package kanon

import (
	"testing"
)

// TestGlobalAdultIssue checks the figures given in issue 3.
func TestGlobalAdultIssue(t *testing.T) {
	tab := loadAdult(t)
	tests := []struct {
		name       string
		limit      float64
		dm         float64
		suppressed int64
	}{
		{name: "k5 limit 2%", limit: 0.02, dm: 9268952, suppressed: 60},
		{name: "k5 limit 0", limit: 0, dm: 55170356, suppressed: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := adultConfig(t, adultQI8, 5, tt.limit, MetricDM, MethodGlobal)
			res, _ := run(t, cfg, tab, 0)
			rep := res.Report()
			t.Logf("%+v", rep)
			if rep.Metrics.DM != tt.dm || rep.Suppressed != tt.suppressed {
				t.Errorf("DM %v with %d suppressed, want %v with %d",
					rep.Metrics.DM, rep.Suppressed, tt.dm, tt.suppressed)
			}
		})
	}
}
