package e2e

import (
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
	"github.com/hookbridge/hookbridge/integration/webhook/webhooktest"
	"github.com/hookbridge/hookbridge/signing"
)

// TestSecretsNeverLeak runs a full scenario — endpoints of every
// integration with credentials, wrong credentials, a failing and recovering
// webhook receiver, a failing transformation, a source with signed ingest,
// API and portal tokens, transformation tests (sent for real too), retries
// — with the node logging at debug level, then looks for every secret in
// every API answer, every log line and every column of every table of the
// database (and the database files' bytes). A secret may appear only in
// the one answer that generated it.
func TestSecretsNeverLeak(t *testing.T) {
	secrets := map[string]string{
		"segment write key":       "seg-wk-" + randomText(t),
		"wrong segment write key": "seg-wrong-" + randomText(t),
		"customer.io api key":     "cio-ak-" + randomText(t),
		"webhook signing secret":  mustGenerateSecret(t),
	}
	seg := segmenttest.New(t, segmenttest.WithWriteKey(secrets["segment write key"]))
	cio := customeriotest.New(t, customeriotest.WithCredentials(customeriotest.SiteID, secrets["customer.io api key"]))
	receiver := webhooktest.New(t, webhooktest.WithSecrets(secrets["webhook signing secret"]))
	receiver.FailNext(1, http.StatusInternalServerError)

	var logs logBuffer
	dataDir := t.TempDir()
	h := start(t, seg, cio, withDataDir(dataDir), withAllowPrivate(), withDebugLog(&logs))
	rec := &answers{h: h}
	secrets["admin token"] = adminToken

	// Tokens, shown once each.
	var tok struct{ ID, Token string }
	rec.once(&secrets, "app token", "token", adminToken, "POST", "/api/v1/apps/default/tokens", map[string]any{"name": "ci"}).decode(t, &tok)
	appToken := tok.Token
	var link struct{ URL string }
	rec.call(appToken, "POST", "/api/v1/apps/default/portal-link", nil).decode(t, &link)
	if u, err := url.Parse(link.URL); err == nil {
		secrets["portal link"] = u.Query().Get("token")
		rec.shownOnce["portal link"] = len(rec.seen) - 1
		resp, err := browser(t).Get(link.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}

	// Endpoints: every integration, right and wrong credentials, and code
	// that fails.
	rec.call(appToken, "POST", "/api/v1/apps/default/endpoints", map[string]any{"integration": "segment", "template": "payment-events",
		"credentials": map[string]string{"write_key": secrets["segment write key"]}})
	rec.call(appToken, "POST", "/api/v1/apps/default/endpoints", map[string]any{"integration": "segment", "template": "payment-events",
		"credentials": map[string]string{"write_key": secrets["wrong segment write key"]}})
	cioTemplate := template(t, "customerio", func(tpl hookbridge.Template) bool { return !tpl.FromDocs })
	rec.call(appToken, "POST", "/api/v1/apps/default/endpoints", map[string]any{"integration": "customerio", "template": cioTemplate.ID,
		"credentials": map[string]string{"site_id": customeriotest.SiteID, "api_key": secrets["customer.io api key"]}})
	rec.call(appToken, "POST", "/api/v1/apps/default/endpoints", map[string]any{"url": receiver.URL + "/hooks",
		"credentials": map[string]string{"signing_secret": secrets["webhook signing secret"]}})
	generated := rec.once(&secrets, "generated webhook secret", "", appToken, "POST", "/api/v1/apps/default/endpoints",
		map[string]any{"url": receiver.URL + "/other", "event_types": []string{"refund.succeeded"}})
	var gen struct {
		GeneratedSecrets map[string]string `json:"generated_secrets"`
	}
	generated.decode(t, &gen)
	secrets["generated webhook secret"] = gen.GeneratedSecrets["signing_secret"]
	rec.call(appToken, "POST", "/api/v1/apps/default/endpoints", map[string]any{"url": receiver.URL + "/broken",
		"transformation": map[string]any{"code": "function handler(webhook) { console.log('about to fail', webhook.headers); throw new Error('broken on purpose') }"}})

	// A source, and a signed webhook into it.
	var src sourceAnswer
	rec.once(&secrets, "source secret", "secret", appToken, "POST", "/api/v1/apps/default/sources", map[string]any{"name": "platform"}).decode(t, &src)
	body, _ := sample(t, "payment.succeeded")
	if status, answer := postSigned(t, src.IngestURL, secrets["source secret"], "msg_leak_1", time.Now(), body); status != http.StatusOK {
		t.Fatalf("signed ingest: %d %s", status, answer)
	}
	postSigned(t, src.IngestURL, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_leak_2", time.Now(), body) // a wrong signature
	var rotated sourceAnswer
	rec.once(&secrets, "rotated source secret", "secret", appToken, "POST", "/api/v1/apps/default/sources/"+src.ID+"/rotate-secret", nil).decode(t, &rotated)

	// Events through the API, and tests of transformations.
	refund, _ := sample(t, "refund.succeeded")
	rec.call(appToken, "POST", "/api/v1/apps/default/messages", map[string]any{"event_type": "payment.succeeded", "payload": body, "event_id": "evt_leak"})
	rec.call(appToken, "POST", "/api/v1/apps/default/messages", map[string]any{"event_type": "refund.succeeded", "payload": refund})
	rec.call(appToken, "POST", "/api/v1/apps/default/transformations/test", map[string]any{"integration": "segment", "template": "payment-events",
		"event_type": "payment.succeeded", "credentials": map[string]string{"write_key": secrets["segment write key"]}, "send": true})
	rec.call(appToken, "POST", "/api/v1/apps/default/transformations/test", map[string]any{"integration": "customerio", "template": cioTemplate.ID,
		"event_type": "payment.succeeded", "credentials": map[string]string{"site_id": customeriotest.SiteID, "api_key": secrets["wrong segment write key"]}, "send": true})

	waitAllFinal(t, h, appToken)
	rec.readEverything(appToken)

	// The secrets were really used: otherwise finding none proves nothing.
	if len(seg.Accepted()) == 0 || len(cio.Accepted()) == 0 || len(receiver.Accepted()) == 0 {
		t.Fatalf("destinations got %d, %d, %d events; the scenario did not run", len(seg.Accepted()), len(cio.Accepted()), len(receiver.Accepted()))
	}
	h.stop()

	// The search finds what is there: each secret shown once is found in
	// the answer that showed it, and the database was read.
	for name, i := range rec.shownOnce {
		if findAny(rec.seen[i].text, secretForms(secrets[name])) == "" {
			t.Fatalf("the %s is not found in the answer that showed it: the search is broken", name)
		}
	}
	if !slices.ContainsFunc(databaseCells(t, filepath.Join(dataDir, "hookbridge.db")), func(c dbCell) bool { return c.text == src.ID }) {
		t.Fatal("the source's id is not found in the database: the database was not read")
	}

	for name, secret := range secrets {
		if len(secret) < 12 {
			t.Fatalf("secret %s is %q: the scenario did not get it", name, secret)
		}
		forms := secretForms(secret)
		for i, a := range rec.seen {
			if shown, ok := rec.shownOnce[name]; ok && shown == i {
				continue
			}
			if where := findAny(a.text, forms); where != "" {
				t.Errorf("the %s appears in the answer to %s: …%s…", name, a.label, where)
			}
		}
		if where := findAny(logs.String(), forms); where != "" {
			t.Errorf("the %s appears in the log: …%s…", name, where)
		}
		for _, cell := range databaseCells(t, filepath.Join(dataDir, "hookbridge.db")) {
			if where := findAny(cell.text, forms); where != "" {
				t.Errorf("the %s appears in the database, %s: …%s…", name, cell.where, where)
			}
		}
		for _, file := range []string{"hookbridge.db", "hookbridge.db-wal"} {
			raw, err := os.ReadFile(filepath.Join(dataDir, file))
			if err == nil && findAny(string(raw), forms) != "" {
				t.Errorf("the %s appears in the bytes of %s", name, file)
			}
		}
	}
	if !strings.Contains(logs.String(), `"request_id"`) {
		t.Error("the debug log has no request ids: the log checked is not the node's")
	}
}

// answers records every answer of the scenario, and which one showed a
// secret on purpose.
type answers struct {
	h         *harness
	mu        sync.Mutex
	seen      []seenAnswer
	shownOnce map[string]int
}

type seenAnswer struct {
	label, text string
}

func (r *answers) call(token, method, path string, body any) answer {
	r.h.t.Helper()
	a := r.h.callAs(token, method, path, body)
	if a.status >= 500 {
		r.h.t.Fatalf("%s %s: %d %s", method, path, a.status, a.body)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var headers strings.Builder
	for k, v := range a.header {
		fmt.Fprintf(&headers, "%s: %s\n", k, strings.Join(v, ", "))
	}
	r.seen = append(r.seen, seenAnswer{label: method + " " + path, text: headers.String() + string(a.body)})
	return a
}

// once makes a call whose answer shows the named secret once, on purpose,
// in the JSON field given (if any), and records the secret.
func (r *answers) once(secrets *map[string]string, name, field, token, method, path string, body any) answer {
	r.h.t.Helper()
	a := r.call(token, method, path, body)
	if r.shownOnce == nil {
		r.shownOnce = map[string]int{}
	}
	r.shownOnce[name] = len(r.seen) - 1
	if field != "" {
		var m map[string]any
		a.decode(r.h.t, &m)
		s, _ := m[field].(string)
		(*secrets)[name] = s
	}
	return a
}

// readEverything reads every resource of the app through the API.
func (r *answers) readEverything(token string) {
	t := r.h.t
	for _, path := range []string{"/api/v1/apps", "/api/v1/apps/default", "/api/v1/apps/default/endpoints", "/api/v1/apps/default/sources",
		"/api/v1/apps/default/messages", "/api/v1/apps/default/deliveries", "/api/v1/apps/default/tokens", "/api/v1/apps/default/audit-log",
		"/api/v1/integrations", "/metrics", "/readyz"} {
		r.call(token, "GET", path, nil)
	}
	var dels struct{ Data []hookbridge.Delivery }
	r.call(token, "GET", "/api/v1/apps/default/deliveries?limit=250", nil).decode(t, &dels)
	for _, d := range dels.Data {
		r.call(token, "GET", "/api/v1/apps/default/deliveries/"+d.ID, nil)
		r.call(token, "GET", "/api/v1/apps/default/deliveries/"+d.ID+"/attempts", nil)
		r.call(token, "GET", "/api/v1/apps/default/messages/"+d.MessageID, nil)
	}
	var eps struct{ Data []struct{ ID string } }
	r.call(token, "GET", "/api/v1/apps/default/endpoints", nil).decode(t, &eps)
	for _, ep := range eps.Data {
		r.call(token, "GET", "/api/v1/apps/default/endpoints/"+ep.ID, nil)
		r.call(token, "PATCH", "/api/v1/apps/default/endpoints/"+ep.ID, map[string]any{"name": "renamed"})
	}
}

// waitAllFinal waits until no delivery of the default app is pending.
func waitAllFinal(t *testing.T, h *harness, token string) {
	t.Helper()
	waitFor(t, "every delivery to finish", func() bool {
		var dels struct{ Data []hookbridge.Delivery }
		h.mustAs(token, "GET", "/api/v1/apps/default/deliveries?limit=250", nil, http.StatusOK).decode(t, &dels)
		for _, d := range dels.Data {
			if d.Status == hookbridge.DeliveryPending {
				return false
			}
		}
		return len(dels.Data) > 0
	})
}

// secretForms are the ways a secret could be written down: as it is, and
// base64-encoded alone or as the user name of Basic auth.
func secretForms(secret string) []string {
	forms := []string{secret}
	for _, plain := range []string{secret, secret + ":", customeriotest.SiteID + ":" + secret} {
		forms = append(forms,
			base64.StdEncoding.EncodeToString([]byte(plain)),
			base64.RawURLEncoding.EncodeToString([]byte(plain)),
			hex.EncodeToString([]byte(plain)))
	}
	return forms
}

// findAny returns the text around the first form found in text, or "".
func findAny(text string, forms []string) string {
	for _, f := range forms {
		if i := strings.Index(text, f); i >= 0 {
			return text[max(0, i-40):min(len(text), i+len(f)+20)]
		}
	}
	return ""
}

type dbCell struct{ where, text string }

// databaseCells reads every column of every row of every table.
func databaseCells(t *testing.T, path string) []dbCell {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 6 {
		t.Fatalf("only tables %v", tables)
	}
	var cells []dbCell
	for _, table := range tables {
		cells = append(cells, tableCells(t, db, table)...)
	}
	return cells
}

func tableCells(t *testing.T, db *sql.DB, table string) []dbCell {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM "` + table + `"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var cells []dbCell
	for n := 0; rows.Next(); n++ {
		values := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range values {
			ptrs[i] = &values[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range values {
			text := fmt.Sprint(v)
			if b, ok := v.([]byte); ok {
				text = string(b)
			}
			cells = append(cells, dbCell{where: fmt.Sprintf("%s.%s (row %d)", table, cols[i], n), text: text})
		}
	}
	return cells
}

func randomText(t *testing.T) string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func mustGenerateSecret(t *testing.T) string {
	s, err := signing.GenerateSecret()
	if err != nil {
		t.Fatal(err)
	}
	return s
}
