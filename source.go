package hookbridge

import "time"

// Source is an inbound address, POST /ingest/{id}, that verifies Standard
// Webhooks signatures and turns each request into a message of its app.
type Source struct {
	ID        string         `json:"id"`
	AppID     string         `json:"app_id"`
	Name      string         `json:"name"`
	Secrets   []SourceSecret `json:"-"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
}

// SourceSecret is one signing secret of a source ("whsec_…"). During a
// rotation a source holds several; an old one stops verifying at ExpiresAt.
type SourceSecret struct {
	Secret    string     `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// ActiveSecrets returns the secrets that verify at time now.
func (s *Source) ActiveSecrets(now time.Time) []string {
	var out []string
	for _, sec := range s.Secrets {
		if sec.ExpiresAt == nil || now.Before(*sec.ExpiresAt) {
			out = append(out, sec.Secret)
		}
	}
	return out
}
