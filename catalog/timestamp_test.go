package catalog

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTimestampMarshal(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*60*60)
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"microseconds kept", time.Date(2025, 8, 4, 5, 30, 45, 182629000, time.UTC), `"2025-08-04T05:30:45.182629Z"`},
		{"whole second padded", time.Date(2025, 8, 4, 5, 30, 45, 0, time.UTC), `"2025-08-04T05:30:45.000000Z"`},
		{"trailing zeros kept", time.Date(2025, 8, 4, 5, 30, 45, 180000000, time.UTC), `"2025-08-04T05:30:45.180000Z"`},
		{"nanoseconds truncated", time.Date(2025, 8, 4, 5, 30, 45, 182629999, time.UTC), `"2025-08-04T05:30:45.182629Z"`},
		{"converted to UTC", time.Date(2025, 8, 4, 14, 30, 45, 1000, tokyo), `"2025-08-04T05:30:45.000001Z"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(Timestamp{tt.in})
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Marshal(%v) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestTimestampUnmarshal(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{in: `"2025-08-04T05:30:45.182629Z"`, want: time.Date(2025, 8, 4, 5, 30, 45, 182629000, time.UTC)},
		{in: `"2025-08-04T05:30:45Z"`, want: time.Date(2025, 8, 4, 5, 30, 45, 0, time.UTC)},
		{in: `"2025-08-04T11:00:45.5+05:30"`, want: time.Date(2025, 8, 4, 5, 30, 45, 500000000, time.UTC)},
		{in: `"2025-08-04 05:30:45"`, wantErr: true},
		{in: `"2025-08-04"`, wantErr: true},
		{in: `""`, wantErr: true},
		{in: `1754285445`, wantErr: true},
		{in: `{}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got Timestamp
			err := json.Unmarshal([]byte(tt.in), &got)
			if tt.wantErr {
				if err == nil {
					t.Errorf("Unmarshal(%s) = %v, want an error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("Unmarshal(%s) = %v, want %v", tt.in, got.Time, tt.want)
			}
		})
	}
}

func TestTimestampNull(t *testing.T) {
	var holder struct {
		At    Timestamp  `json:"at"`
		Maybe *Timestamp `json:"maybe"`
	}
	if err := json.Unmarshal([]byte(`{"at": null, "maybe": null}`), &holder); err != nil {
		t.Fatal(err)
	}
	if !holder.At.IsZero() || holder.Maybe != nil {
		t.Errorf("null decoded to %v and %v, want the zero time and nil", holder.At, holder.Maybe)
	}
	out, err := json.Marshal(holder)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"at":"0001-01-01T00:00:00.000000Z","maybe":null}`; string(out) != want {
		t.Errorf("Marshal = %s, want %s", out, want)
	}
}

// FuzzTimestampRoundTrip checks that any date-time Timestamp accepts is
// written back as the same instant, to the microsecond, and that writing is
// stable after one round.
func FuzzTimestampRoundTrip(f *testing.F) {
	for _, seed := range []string{
		`"2025-08-04T05:30:45.182629Z"`, `"2025-08-04T05:30:45Z"`,
		`"1999-12-31T23:59:59.999999999-12:00"`, `"2025-08-04T05:30:45.1+14:00"`,
		`"0000-01-01T00:30:00+01:00"`, `"9999-12-31T23:30:00-01:00"`, `null`, `"x"`, `12`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var first Timestamp
		if err := json.Unmarshal([]byte(in), &first); err != nil {
			return
		}
		written, err := json.Marshal(first)
		if year := first.UTC().Year(); year < 0 || year > 9999 {
			if err == nil {
				t.Errorf("Marshal(%v) = %s, want an error for year %d", first.Time, written, year)
			}
			return
		}
		if err != nil {
			t.Fatalf("Marshal(%v): %v", first.Time, err)
		}
		var second Timestamp
		if err := json.Unmarshal(written, &second); err != nil {
			t.Fatalf("cannot read back %s: %v", written, err)
		}
		if !second.Equal(first.Truncate(time.Microsecond)) {
			t.Errorf("%s read back as %v, want %v", written, second.Time, first.Truncate(time.Microsecond))
		}
		again, _ := json.Marshal(second)
		if string(again) != string(written) {
			t.Errorf("second write %s differs from first %s", again, written)
		}
	})
}
