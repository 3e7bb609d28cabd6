package segmenttest

import "time"

// Traits returns the traits of the identify calls accepted for userID,
// merged in the order they arrived (a later call's trait replaces an
// earlier one's, as Segment's destinations keep the latest); nil if none.
func (s *Server) Traits(userID string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out map[string]any
	for _, ev := range s.accepted {
		traits, ok := ev.Body["traits"].(map[string]any)
		if ev.Type != "identify" || ev.UserID != userID || !ok {
			continue
		}
		if out == nil {
			out = map[string]any{}
		}
		for k, v := range traits {
			out[k] = v
		}
	}
	return out
}

// NumberTrait reads a trait as Segment's destinations compare and sum it:
// ok only when it was sent as a JSON number. "29.99" is a string to them.
func (s *Server) NumberTrait(userID, name string) (float64, bool) {
	n, ok := s.Traits(userID)[name].(float64)
	return n, ok
}

// DateTrait reads a trait as a date the way Segment's spec writes dates:
// ok only for an ISO 8601 string. A number (unix seconds or milliseconds)
// is a number to Segment's destinations, not a date.
func (s *Server) DateTrait(userID, name string) (time.Time, bool) {
	text, ok := s.Traits(userID)[name].(string)
	if !ok {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, text); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
