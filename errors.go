package hookbridge

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors that callers branch on.
var (
	// ErrNotFound means the requested resource does not exist (or is not
	// visible to the caller's app).
	ErrNotFound = errors.New("not found")
	// ErrConflict means a resource with the same unique key already exists.
	ErrConflict = errors.New("conflict")
	// ErrLeaseLost means a worker tried to record the outcome of a delivery
	// whose lease it no longer holds.
	ErrLeaseLost = errors.New("delivery lease lost")
	// ErrStorageFull means the store refused a write for lack of space (a
	// full disk, or a database at its size limit). It passes once space is
	// freed: callers answer it "try again later", not as a fault.
	ErrStorageFull = errors.New("the store is out of space")
)

// FieldError names one invalid input field and what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	// Line is set for errors in transformation code (1-based), 0 otherwise.
	Line int `json:"line,omitempty"`
}

// ValidationError is a list of field errors; it is what API handlers turn
// into a 422 answer.
type ValidationError struct {
	Fields []FieldError
}

// Add appends a field error.
func (v *ValidationError) Add(field, format string, args ...any) {
	v.Fields = append(v.Fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns v as an error if it holds any field error, nil otherwise.
func (v *ValidationError) Err() error {
	if v == nil || len(v.Fields) == 0 {
		return nil
	}
	return v
}

func (v *ValidationError) Error() string {
	parts := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		parts[i] = f.Field + ": " + f.Message
		if f.Line > 0 {
			parts[i] += fmt.Sprintf(" (line %d)", f.Line)
		}
	}
	return "invalid input: " + strings.Join(parts, "; ")
}
