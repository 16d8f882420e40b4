package transform

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestMaskValues(t *testing.T) {
	tests := []struct {
		name string
		raw  map[string]any
		in   []any
		want []any
	}{
		{
			name: "card keeps separators and last four",
			raw:  map[string]any{"keep_last": uint64(4)},
			in:   txStrings("4111-1111-1111-1234", "4111 1111 1111 1234"),
			want: txStrings("****-****-****-1234", "**** **** **** 1234"),
		},
		{
			name: "B16 phone keeps plus sign and last four",
			raw:  map[string]any{"keep_last": uint64(4)},
			in:   txStrings("+15550100123", "5550100999", "(555) 010-0123"),
			want: txStrings("+*******0123", "******0999", "(***) ***-0123"),
		},
		{
			name: "B10 multibyte values fully masked by character",
			raw: map[string]any{
				"keep_first": uint64(4), "fully_mask_if_len_le": uint64(8),
			},
			in:   txStrings("密码令牌", "中中中", "éé中", "abcdefghi"),
			want: txStrings("****", "***", "***", "abcd*****"),
		},
		{
			name: "multibyte text masked one char per character",
			raw:  map[string]any{"keep_first": uint64(1)},
			in:   txStrings("Zoë Łukasz", "北京市朝阳区", "Müller"),
			want: txStrings("Z** ******", "北*****", "M*****"),
		},
		{
			name: "multibyte kept at the end",
			raw:  map[string]any{"keep_last": uint64(2)},
			in:   txStrings("Müller-Lüdenscheidt", "ñandú"),
			want: txStrings("******-**********dt", "***dú"),
		},
		{
			name: "keep counts larger than the value mask everything",
			raw:  map[string]any{"keep_first": uint64(10), "keep_last": int64(10)},
			in:   txStrings("abc", "a-b", "x", "12345678901234567890X"),
			want: txStrings("***", "*-*", "*", "1234567890*234567890X"),
		},
		{
			name: "keep counts equal to the maskable count mask everything",
			raw:  map[string]any{"keep_first": uint64(2), "keep_last": uint64(1)},
			in:   txStrings("ab-c", "ab-cd"),
			want: txStrings("**-*", "ab-*d"),
		},
		{
			name: "fully_mask_if_len_le counts characters with punctuation",
			raw: map[string]any{
				"keep_first": uint64(2), "fully_mask_if_len_le": uint64(6),
			},
			in:   txStrings("abcdef", "abcdefg", "ab-de", "ab-def"),
			want: txStrings("******", "ab*****", "**-**", "**-***"),
		},
		{
			name: "other mask character, multibyte",
			raw:  map[string]any{"char": "•", "keep_last": uint64(2)},
			in:   txStrings("secret"),
			want: txStrings("••••et"),
		},
		{
			name: "only letters and digits are masked",
			raw:  map[string]any{},
			in:   txStrings("a.b+c/d (e) @f_g 9!", "  ", "-+()./@"),
			want: txStrings("*.*+*/* (*) @*_* *!", "  ", "-+()./@"),
		},
		{
			name: "nulls stay null and empty stays empty",
			raw:  map[string]any{"keep_last": uint64(2)},
			in:   []any{nil, "", "abcd", nil},
			want: []any{nil, "", "**cd", nil},
		},
		{
			name: "invalid UTF-8 bytes are masked",
			raw:  map[string]any{"keep_first": uint64(1)},
			in:   txStrings("a\xffb\xfe"),
			want: txStrings("a***"),
		},
		{
			name: "email masks local part and domain",
			raw: map[string]any{
				"mode": "email", "keep_first": uint64(1), "domain": "mask",
			},
			in:   txStrings("example@example.com", "ana.test@mail.example.org"),
			want: txStrings("e******@*******.***", "a**.****@****.*******.***"),
		},
		{
			name: "email keeps domain by default",
			raw:  map[string]any{"mode": "email", "keep_first": uint64(1), "keep_last": uint64(1)},
			in:   txStrings("ana.test@example.org", "bo@example.org", "\"a@b\"@example.org"),
			want: txStrings("a**.***t@example.org", "**@example.org", "\"*@*\"@example.org"),
		},
		{
			name: "email short local part fully masked",
			raw: map[string]any{
				"mode": "email", "keep_first": uint64(1), "fully_mask_if_len_le": uint64(3),
			},
			in:   txStrings("abc@example.org", "abcd@example.org", "@example.org"),
			want: txStrings("***@example.org", "a***@example.org", "@example.org"),
		},
		{
			name: "email mode without at sign is masked as chars",
			raw:  map[string]any{"mode": "email", "keep_first": uint64(2)},
			in:   txStrings("not-an-email", ""),
			want: txStrings("no*-**-*****", ""),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := txBuild(t, maskSpec, "secret", tt.raw)
			got := txApply(t, s, txWorker(t, ""), "secret", tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestMaskOptionErrors(t *testing.T) {
	tests := []struct {
		name    string
		raw     map[string]any
		param   string
		message string
	}{
		{"char of two characters", map[string]any{"char": "**"}, "char", "exactly one character"},
		{"empty char", map[string]any{"char": ""}, "char", "exactly one character"},
		{"unknown option with suggestion", map[string]any{"keep": uint64(2)}, "keep",
			`did you mean "keep_first"?`},
		{"unknown mode", map[string]any{"mode": "phone"}, "mode", "chars, email"},
		{"negative keep_first", map[string]any{"keep_first": int64(-1)}, "keep_first",
			"between 0 and"},
		{"huge keep_last", map[string]any{"keep_last": uint64(1) << 40}, "keep_last",
			"between 0 and"},
		{"fractional count", map[string]any{"fully_mask_if_len_le": 2.5},
			"fully_mask_if_len_le", "want int"},
		{"domain without email mode", map[string]any{"domain": "mask"}, "domain",
			"mode email only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := txTryBuild(maskSpec, "secret", tt.raw)
			if err == nil {
				t.Fatal("no error")
			}
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Param != tt.param {
				t.Errorf("error %v is not a ParamError for %q", err, tt.param)
			}
			if !errors.Is(err, ErrInvalidParam) {
				t.Errorf("error %v does not wrap ErrInvalidParam", err)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q does not contain %q", err, tt.message)
			}
		})
	}
}

func TestMaskNewMaskTyped(t *testing.T) {
	m, err := NewMask(Mask{KeepLast: 4, Char: 'X'})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(m.AppendMasked(nil, []byte("555-0100"))); got != "XXX-0100" {
		t.Errorf("got %q", got)
	}
	if _, err := NewMask(Mask{}); err == nil {
		t.Error("a zero mask character was accepted")
	}
}

func TestMaskNeverPanics(t *testing.T) {
	vals := []string{"", "\xff", "é", "中", "\u0301", "a\u0301", "\U0001F600x", "@", "@@", "a@"}
	for _, mode := range []string{"chars", "email"} {
		for kf := uint64(0); kf < 4; kf++ {
			for kl := uint64(0); kl < 4; kl++ {
				raw := map[string]any{"mode": mode, "keep_first": kf, "keep_last": kl,
					"fully_mask_if_len_le": kf}
				name := mode + "/" + string(rune('0'+kf)) + string(rune('0'+kl))
				t.Run(name, func(t *testing.T) {
					s := txBuild(t, maskSpec, "c", raw)
					got := txApply(t, s, txWorker(t, ""), "c", txStrings(vals...))
					for i, g := range got {
						if len([]rune(g.(string))) != len([]rune(vals[i])) {
							t.Errorf("value %d: rune count changed: %q", i, g)
						}
					}
				})
			}
		}
	}
}
