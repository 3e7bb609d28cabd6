package customeriotest

import (
	"encoding/json"
	"time"
)

// person is one profile: each attribute with the timestamp of the
// identify that set it.
type person struct {
	attributes map[string]attribute
}

type attribute struct {
	value any // as decoded with json.Number for numbers
	at    time.Time
}

// applyIdentify sets a person's attributes from an identify as Customer.io
// does when calls arrive out of order: each attribute keeps the value of
// the identify with the newest timestamp. An identify without a timestamp
// counts as sent when it arrived. Only people named by identifiers.id are
// kept. Called with s.mu held.
func (s *Server) applyIdentify(op Op, arrived time.Time) {
	id, _ := op.Identifiers["id"].(string)
	if id == "" || op.Type != "person" {
		return
	}
	at := arrived
	if op.Timestamp != 0 {
		at = time.Unix(op.Timestamp, 0)
	}
	p := s.people[id]
	if p == nil {
		p = &person{attributes: map[string]attribute{}}
		s.people[id] = p
	}
	for name, v := range op.exactAttributes {
		if name == "_update" {
			continue
		}
		if old, ok := p.attributes[name]; ok && old.at.After(at) {
			continue
		}
		p.attributes[name] = attribute{value: v, at: at}
	}
}

// Profile returns the attributes of the person with identifier id as
// Customer.io would show them, numbers as float64; nil if nobody has been
// identified by that id.
func (s *Server) Profile(id string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.people[id]
	if p == nil {
		return nil
	}
	out := make(map[string]any, len(p.attributes))
	for name, a := range p.attributes {
		if n, ok := a.value.(json.Number); ok {
			f, _ := n.Float64()
			out[name] = f
			continue
		}
		out[name] = a.value
	}
	return out
}

// NumberAttribute returns a person's attribute as a segment condition
// that compares numbers ("greater than", "less than") reads it: ok only
// when it was sent as a JSON number. A numeric string such as "32.65" is
// text to Customer.io and matches no numeric condition.
func (s *Server) NumberAttribute(id, name string) (value float64, ok bool) {
	n, ok := s.attribute(id, name).(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}

// TimestampAttribute returns a person's attribute as a timestamp
// condition reads it: ok only when it is whole unix seconds. Customer.io's
// Timestamp Conditions FAQ: with "milliseconds or … a different timestamp
// format like ISO 8601, your users will not match".
func (s *Server) TimestampAttribute(id, name string) (time.Time, bool) {
	n, ok := s.attribute(id, name).(json.Number)
	if !ok {
		return time.Time{}, false
	}
	secs, err := n.Int64()
	if err != nil || secs <= 0 || secs >= 100_000_000_000 {
		return time.Time{}, false
	}
	return time.Unix(secs, 0).UTC(), true
}

func (s *Server) attribute(id, name string) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.people[id]; p != nil {
		return p.attributes[name].value
	}
	return nil
}
