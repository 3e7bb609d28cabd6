package builtin

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/hookbridge/hookbridge"
)

func TestAll(t *testing.T) {
	var ids []string
	hosts := map[string]string{}
	for _, in := range All() {
		info := in.Info()
		ids = append(ids, info.ID)
		for _, h := range info.Hosts {
			if other, dup := hosts[h]; dup {
				t.Errorf("host %s belongs to both %s and %s", h, other, info.ID)
			}
			hosts[h] = info.ID
		}
		for _, tpl := range info.Templates {
			if tpl.Code == "" {
				t.Errorf("%s template %s is empty", info.ID, tpl.ID)
			}
		}
	}
	if !slices.Equal(ids, []string{"webhook", "customerio", "segment", "posthog", "mixpanel", "amplitude", "hubspot", "resend", "sendgrid", "loops", "slack", "discord", "teams", "zapier", "make", "n8n", "pipedream", "windmill", "inngest"}) {
		t.Errorf("ids = %v", ids)
	}
	cat := hookbridge.NewIntegrations(All()...)
	if in, ok := cat.Get("segment"); !ok || in.Info().Name != "Segment" {
		t.Error("catalogue cannot find segment")
	}
}

func TestDocsPagesExist(t *testing.T) {
	for _, in := range All() {
		info := in.Info()
		if info.Docs == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join("..", "..", info.Docs)); err != nil {
			t.Errorf("%s: docs page %s: %v", info.ID, info.Docs, err)
		}
	}
}
