package httpapi

import (
	"maps"
	"slices"
	"testing"

	"github.com/hookbridge/hookbridge"
)

// storedWithSecrets is an endpoint as stored: a header named like a
// credential, one marked secret and a plain one.
func storedWithSecrets() *hookbridge.Endpoint {
	return &hookbridge.Endpoint{
		Headers:       map[string]string{"Authorization": "Bearer stored-token-0123", "X-Custom": "stored-marked-4567", "X-Team": "growth"},
		SecretHeaders: []string{"X-Custom"},
	}
}

func TestSecretHeadersAreWriteOnly(t *testing.T) {
	cases := []struct {
		name       string
		headers    *map[string]string
		marked     *[]string
		want       map[string]string
		wantMarked []string
		wantErr    string
	}{
		{name: "absent headers keep everything",
			want:       map[string]string{"Authorization": "Bearer stored-token-0123", "X-Custom": "stored-marked-4567", "X-Team": "growth"},
			wantMarked: []string{"X-Custom"}},
		{name: "left out secret headers keep their values, plain ones are replaced",
			headers:    &map[string]string{"X-Team": "ops"},
			want:       map[string]string{"Authorization": "Bearer stored-token-0123", "X-Custom": "stored-marked-4567", "X-Team": "ops"},
			wantMarked: []string{"X-Custom"}},
		{name: "masked values as the API shows them keep the stored ones",
			headers:    &map[string]string{"Authorization": "Bearer ********", "x-custom": "stor********", "X-Team": "growth"},
			want:       map[string]string{"Authorization": "Bearer stored-token-0123", "x-custom": "stored-marked-4567", "X-Team": "growth"},
			wantMarked: []string{"x-custom"}},
		{name: "new values replace, an empty value removes",
			headers:    &map[string]string{"Authorization": "Bearer fresh-token", "X-Custom": ""},
			want:       map[string]string{"Authorization": "Bearer fresh-token"},
			wantMarked: nil},
		{name: "unmarking needs the value again",
			marked:  &[]string{},
			wantErr: "headers.X-Custom"},
		{name: "unmarking with the value given",
			headers:    &map[string]string{"X-Custom": "now-public"},
			marked:     &[]string{},
			want:       map[string]string{"Authorization": "Bearer stored-token-0123", "X-Custom": "now-public"},
			wantMarked: nil},
		{name: "marking a header that is not there",
			marked:  &[]string{"X-Nope"},
			wantErr: "secret_headers"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ep := storedWithSecrets()
			err := applyHeaders(ep, &endpointInput{Headers: c.headers, SecretHeaders: c.marked})
			if c.wantErr != "" {
				checkField(t, err, c.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(ep.Headers, c.want) || !slices.Equal(ep.SecretHeaders, c.wantMarked) {
				t.Fatalf("headers %v, marked %v; want %v, %v", ep.Headers, ep.SecretHeaders, c.want, c.wantMarked)
			}
		})
	}
}

func TestEndpointViewMasksSecretHeaders(t *testing.T) {
	s := &Server{integrations: hookbridge.NewIntegrations()}
	view := s.viewEndpoint(storedWithSecrets())
	want := map[string]string{"Authorization": "Bearer ********", "X-Custom": "stor********", "X-Team": "growth"}
	if !maps.Equal(view.Headers, want) || len(view.SecretHeaders) != 1 {
		t.Fatalf("view headers %v, secret %v", view.Headers, view.SecretHeaders)
	}
}
