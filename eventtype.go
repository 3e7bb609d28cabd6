package hookbridge

import "encoding/json"

// EventType describes one kind of payment event, with a realistic sample
// payload for testing transformations. Package catalog holds all of them.
type EventType struct {
	Name        string          `json:"name"`
	Category    string          `json:"category"`
	Description string          `json:"description"`
	Sample      json.RawMessage `json:"sample"`
}
