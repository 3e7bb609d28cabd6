package hookbridge

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"strings"
)

// Cipher seals secrets at rest. Package secretbox implements it with
// AES-256-GCM; stores use it for credentials, signing secrets and secret
// headers.
type Cipher interface {
	Seal(plaintext []byte) ([]byte, error)
	Open(sealed []byte) ([]byte, error)
}

// Mask shows the shape of a secret without revealing it: the first four
// characters of a long secret, then asterisks ("whse********"); only
// asterisks for a short one.
func Mask(secret string) string {
	const shown = 4
	if len(secret) <= 2*shown {
		return "********"
	}
	return secret[:shown] + "********"
}

// MaskSecrets masks every secret of four characters or more wherever it
// appears in s, in the forms Masker knows.
func MaskSecrets(s string, secrets []string) string {
	return NewMasker(secrets...).Mask(s)
}

// minSecretLen is the shortest value a Masker hides: shorter ones would
// mask ordinary words.
const minSecretLen = 4

// Masker hides secret values wherever they appear in a text: as they are,
// percent-encoded or with JSON-escaped slashes, and in Base64 in either
// alphabet, padded or not — alone, or inside a longer encoded value such
// as the Basic authorization of "user:secret" or "secret:". The zero
// Masker and one without secrets change nothing.
type Masker struct {
	secrets [][]byte
	// forms are the literal spellings of the secrets, each with its mask.
	forms []maskedForm
	// minRun is the shortest run of Base64 characters that can decode to
	// one of the secrets.
	minRun int
}

type maskedForm struct{ text, mask string }

// NewMasker returns a Masker for the given secrets; values shorter than
// four bytes are ignored.
func NewMasker(secrets ...string) *Masker {
	m := &Masker{}
	seen := map[string]bool{}
	for _, sec := range secrets {
		if len(sec) < minSecretLen || seen[sec] {
			continue
		}
		seen[sec] = true
		m.secrets = append(m.secrets, []byte(sec))
		if m.minRun == 0 || base64.RawStdEncoding.EncodedLen(len(sec)) < m.minRun {
			m.minRun = base64.RawStdEncoding.EncodedLen(len(sec))
		}
		m.forms = append(m.forms, maskedForm{sec, Mask(sec)})
		for _, form := range []string{url.QueryEscape(sec), url.PathEscape(sec), strings.ReplaceAll(sec, "/", `\/`)} {
			if form != sec {
				m.forms = append(m.forms, maskedForm{form, Mask(sec)})
			}
		}
	}
	return m
}

// Empty reports whether the Masker has nothing to hide.
func (m *Masker) Empty() bool { return m == nil || len(m.secrets) == 0 }

// Mask returns s with every secret, and every encoded value holding one,
// masked.
func (m *Masker) Mask(s string) string {
	if m.Empty() {
		return s
	}
	for _, f := range m.forms {
		if strings.Contains(s, f.text) {
			s = strings.ReplaceAll(s, f.text, f.mask)
		}
	}
	return m.maskEncoded(s)
}

// MaskHeaders returns a copy of h with every value masked, or h itself
// when there is nothing to hide.
func (m *Masker) MaskHeaders(h map[string]string) map[string]string {
	if m.Empty() || h == nil {
		return h
	}
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[k] = m.Mask(v)
	}
	return out
}

// maskEncoded masks each run of Base64 characters that decodes, from any
// of its first four characters, to bytes holding a secret.
func (m *Masker) maskEncoded(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !isBase64Char(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isBase64Char(s[j]) {
			j++
		}
		for j < len(s) && s[j] == '=' {
			j++
		}
		if j-i >= m.minRun && m.holdsSecret(s[i:j]) {
			b.WriteString(s[last:i])
			b.WriteString(Mask(s[i:j]))
			last = j
		}
		i = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// holdsSecret reports whether the Base64 run decodes to bytes holding one
// of the secrets. An encoded secret may start anywhere in the run (after a
// user name and a colon, say), so the run is decoded from each of its
// first four characters: one of them is aligned with the secret's.
func (m *Masker) holdsSecret(run string) bool {
	std := []byte(strings.TrimRight(run, "="))
	for i, c := range std { // the URL alphabet as the standard one
		switch c {
		case '-':
			std[i] = '+'
		case '_':
			std[i] = '/'
		}
	}
	buf := make([]byte, base64.RawStdEncoding.DecodedLen(len(std)))
	for offset := 0; offset < 4 && offset < len(std); offset++ {
		part := std[offset:]
		if len(part)%4 == 1 {
			part = part[:len(part)-1]
		}
		n, err := base64.RawStdEncoding.Decode(buf, part)
		if err != nil {
			continue
		}
		for _, sec := range m.secrets {
			if bytes.Contains(buf[:n], sec) {
				return true
			}
		}
	}
	return false
}

func isBase64Char(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '+' || c == '/' || c == '-' || c == '_'
}
