package hookbridge

import "strings"

// Cipher seals secrets at rest. Package secretbox implements it with
// AES-256-GCM; stores use it for credentials and signing secrets.
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
// appears in s.
func MaskSecrets(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, Mask(sec))
		}
	}
	return s
}
