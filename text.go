package hookbridge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// What a store can keep. SQLite takes any bytes as text; PostgreSQL refuses
// a NUL byte and invalid UTF-8, and an index entry over about 2.7 KB. So
// that both stores give one answer, each checks what it is given to write
// with the Check…Storable functions below and refuses, with a
// *ValidationError, what either could not keep; API handlers check the same
// at the edge (ValidID, ValidText) and answer 4xx.

// MaxIDBytes is the length in bytes of the longest id a store keeps.
const MaxIDBytes = 255

// ValidID reports whether id can name a stored resource: 1 to MaxIDBytes
// bytes of valid UTF-8, all printable (no control characters).
func ValidID(id string) bool {
	if id == "" || len(id) > MaxIDBytes || !utf8.ValidString(id) {
		return false
	}
	return strings.IndexFunc(id, func(r rune) bool { return !unicode.IsPrint(r) }) < 0
}

// ValidText reports whether s can be stored as text: valid UTF-8 without
// a NUL byte.
func ValidText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// storable collects what of an entity no store can keep.
type storable struct{ verr ValidationError }

func (c *storable) id(field, id string) {
	if !ValidID(id) {
		c.verr.Add(field, "must be 1 to %d bytes of printable UTF-8", MaxIDBytes)
	}
}

func (c *storable) text(field, s string) {
	if !ValidText(s) {
		c.verr.Add(field, "must be valid UTF-8 text without NUL characters")
	}
}

// optionalID checks an id that may be empty (an admin token's app).
func (c *storable) optionalID(field, id string) {
	if id != "" {
		c.id(field, id)
	}
}

// CheckAppStorable returns a *ValidationError if a store cannot keep app.
func CheckAppStorable(app *App) error {
	var c storable
	c.id("id", app.ID)
	c.text("name", app.Name)
	return c.verr.Err()
}

// CheckTokenStorable returns a *ValidationError if a store cannot keep t.
func CheckTokenStorable(t *Token) error {
	var c storable
	c.id("id", t.ID)
	c.optionalID("app_id", t.AppID)
	c.text("name", t.Name)
	return c.verr.Err()
}

// CheckSourceStorable returns a *ValidationError if a store cannot keep s.
func CheckSourceStorable(s *Source) error {
	var c storable
	c.id("id", s.ID)
	c.id("app_id", s.AppID)
	c.text("name", s.Name)
	return c.verr.Err()
}

// CheckEndpointStorable returns a *ValidationError if a store cannot keep
// e (credentials are stored sealed, as bytes, and need no check).
func CheckEndpointStorable(e *Endpoint) error {
	var c storable
	c.id("id", e.ID)
	c.id("app_id", e.AppID)
	c.text("name", e.Name)
	c.text("integration", e.Integration)
	c.text("url", e.URL)
	c.text("transformation.code", e.Transformation.Code)
	c.text("transformation.template", e.Transformation.Template)
	c.text("saved_by", e.Save.By)
	c.text("ordering.key_path", e.Ordering.KeyPath)
	c.text("disabled_reason", e.DisabledReason)
	for _, et := range e.EventTypes {
		c.text("event_types", et)
	}
	for k, v := range e.Headers {
		c.text("headers", k)
		c.text("headers", v)
	}
	return c.verr.Err()
}
