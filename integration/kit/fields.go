package kit

import (
	"embed"
	"fmt"
	"net/url"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
)

// URLField declares a secret credential holding the tool's webhook URL,
// whose host must match one of hosts (see MatchHost; none means any
// host). The URL is refused at create time unless it is https, has no
// user or password, and — when pathPrefix is set — its path starts with
// it ("/services/" for Slack).
func URLField(name, label, help string, hosts []string, pathPrefix string) hookbridge.CredentialField {
	return hookbridge.CredentialField{
		Name: name, Label: label, Help: help, Secret: true, Required: true,
		Check: func(v string) string { return CheckURL(v, hosts, pathPrefix) },
	}
}

// CheckURL says what is wrong with a webhook URL of a tool, "" if nothing
// (see URLField).
func CheckURL(raw string, hosts []string, pathPrefix string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil || u.Host == "":
		return "is not a URL: paste the whole webhook URL, starting with https://"
	case u.Scheme != "https":
		return "must start with https://"
	case u.User != nil:
		return "must not carry a user name or password"
	case len(hosts) > 0 && !MatchHost(hosts, outbound.Host(u)):
		return fmt.Sprintf("goes to %s, which is not one of %s", outbound.Host(u), strings.Join(hosts, ", "))
	case pathPrefix != "" && !strings.HasPrefix(u.Path, pathPrefix):
		return fmt.Sprintf("is not a webhook URL: its path should start with %s", pathPrefix)
	}
	return ""
}

// Template is a template whose code is a file of an embedded directory.
type Template struct {
	File string
	hookbridge.Template
}

// LoadTemplates reads the code of each template from files. A missing file
// is a build mistake that the package's tests catch, so it panics.
func LoadTemplates(files embed.FS, list []Template) []hookbridge.Template {
	out := make([]hookbridge.Template, len(list))
	for i, t := range list {
		code, err := files.ReadFile(t.File)
		if err != nil {
			panic("kit: embedded template missing: " + err.Error())
		}
		out[i] = t.Template
		out[i].Code = string(code)
	}
	return out
}
