package hookbridge

import (
	"encoding/json"
	"fmt"
)

// SealJSON encodes v as JSON and seals it with c, as stores keep secrets.
// what names the value in errors.
func SealJSON(c Cipher, what string, v any) ([]byte, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", what, err)
	}
	sealed, err := c.Seal(plain)
	if err != nil {
		return nil, fmt.Errorf("seal %s: %w", what, err)
	}
	return sealed, nil
}

// OpenJSON opens what SealJSON sealed and decodes it into v. A decoding
// error says only that: its text could quote part of the secret.
func OpenJSON(c Cipher, what string, sealed []byte, v any) error {
	plain, err := c.Open(sealed)
	if err != nil {
		return fmt.Errorf("open sealed %s: %w", what, err)
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("decode sealed %s: not valid JSON", what)
	}
	return nil
}

// Reseal opens a sealed value and seals it again with c's current key.
func Reseal(c Cipher, sealed []byte) ([]byte, error) {
	plain, err := c.Open(sealed)
	if err != nil {
		return nil, fmt.Errorf("open sealed value: %w", err)
	}
	defer clear(plain)
	again, err := c.Seal(plain)
	if err != nil {
		return nil, fmt.Errorf("seal value: %w", err)
	}
	return again, nil
}

// SealHeaders returns the endpoint's headers as stores keep them: those
// that are not secrets as a JSON object, and the secret ones sealed (nil
// when there are none).
func (e *Endpoint) SealHeaders(c Cipher) (plain string, sealed []byte, err error) {
	public, secret := e.SplitHeaders()
	text, err := json.Marshal(public)
	if err != nil {
		return "", nil, fmt.Errorf("encode headers: %w", err)
	}
	if len(secret) > 0 {
		if sealed, err = SealJSON(c, "secret headers", secret); err != nil {
			return "", nil, err
		}
	}
	return string(text), sealed, nil
}

// OpenHeaders sets the endpoint's headers from what SealHeaders returned.
// A row written before secret headers were sealed may hold them in plain:
// they are secrets all the same (named like credentials).
func (e *Endpoint) OpenHeaders(c Cipher, plain string, sealed []byte) error {
	var public, secret map[string]string
	if err := json.Unmarshal([]byte(plain), &public); err != nil {
		return fmt.Errorf("decode headers: %w", err)
	}
	if sealed != nil {
		if err := OpenJSON(c, "secret headers", sealed, &secret); err != nil {
			return err
		}
	}
	e.JoinHeaders(public, secret)
	return nil
}
