package fakeapi

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestClientReroutesAndKeepsTheHost(t *testing.T) {
	s := Start(Config{}, func(r *http.Request, body []byte) Response {
		return TextResponse(http.StatusCreated, r.Host+" "+r.URL.RequestURI()+" "+string(body))
	})
	defer s.Close()
	resp, err := s.Client().Post("https://api.example.com/v1/x?q=1", "application/json", strings.NewReader(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 || string(got) != `api.example.com /v1/x?q=1 {"a":1}` {
		t.Errorf("%d %s", resp.StatusCode, got)
	}
	reqs := s.Requests()
	if len(reqs) != 1 || reqs[0].Host != "api.example.com" || reqs[0].JSON.(map[string]any)["a"] != float64(1) || reqs[0].Status != 201 {
		t.Errorf("requests = %+v", reqs)
	}
	reqs[0].Method = "changed"
	if s.Requests()[0].Method != "POST" {
		t.Error("Requests returns shared memory")
	}
}

func TestOversizeBodyIs413(t *testing.T) {
	s := Start(Config{}, func(*http.Request, []byte) Response { return Response{Status: 200} })
	defer s.Close()
	resp, err := http.Post(s.URL, "application/json", strings.NewReader(strings.Repeat("x", maxBody+1)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d", resp.StatusCode)
	}
}

func TestIsJSONContentType(t *testing.T) {
	for v, want := range map[string]bool{
		"application/json": true, "application/json; charset=utf-8": true, "Application/JSON": true,
		"text/plain": false, "": false, "application/jsonx": false,
	} {
		if IsJSONContentType(v) != want {
			t.Errorf("IsJSONContentType(%q) != %v", v, want)
		}
	}
}

func TestInjectedFaults(t *testing.T) {
	s := Start(Config{}, func(*http.Request, []byte) Response { return TextResponse(http.StatusOK, "fine") })
	defer s.Close()
	s.RespondNext(1, http.StatusInternalServerError, http.Header{"Webhook-Delivery": {"abort-message"}}, []byte("stop"))
	s.ResetNext(1)
	s.HangNext(1)

	resp, err := http.Post(s.URL, "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 500 || resp.Header.Get("Webhook-Delivery") != "abort-message" || string(body) != "stop" {
		t.Errorf("RespondNext: %d %v %q", resp.StatusCode, resp.Header, body)
	}

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := client.Post(s.URL, "application/json", strings.NewReader(`{}`)); err == nil {
		resp.Body.Close()
		t.Errorf("ResetNext: got an answer %d, want a connection error", resp.StatusCode)
	}

	client.Timeout = 200 * time.Millisecond
	if resp, err := client.Post(s.URL, "application/json", strings.NewReader(`{}`)); err == nil {
		resp.Body.Close()
		t.Errorf("HangNext: got an answer %d, want a timeout", resp.StatusCode)
	}

	resp, err = http.Post(s.URL, "application/json", strings.NewReader(`{}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("after the faults: %v %v", resp, err)
	}
	resp.Body.Close()
	statuses := []int{}
	for _, r := range s.Requests() {
		statuses = append(statuses, r.Status)
	}
	if want := []int{500, 0, 0, 200}; !slices.Equal(statuses, want) {
		t.Errorf("recorded statuses %v, want %v", statuses, want)
	}
}

func TestRateLimitNextWith(t *testing.T) {
	s := Start(Config{}, func(*http.Request, []byte) Response { return Response{Status: 200} })
	defer s.Close()
	s.RateLimitNextWith(1, 3*time.Second, http.Header{"X-Limit": {"10"}}, []byte(`{"error":"slow down"}`))
	resp, err := s.Client().Get("https://api.example.com/x")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "3" || resp.Header.Get("X-Limit") != "10" || string(body) != `{"error":"slow down"}` {
		t.Fatalf("answer %d %v %s", resp.StatusCode, resp.Header, body)
	}
}

func TestOtherHost(t *testing.T) {
	cases := map[string]bool{"api.resend.com": false, "API.resend.com:443": false, "127.0.0.1:8080": false,
		"localhost": false, "[::1]:80": false, "evil.example": true}
	for host, want := range cases {
		r, _ := http.NewRequest("GET", "http://x/", nil)
		r.Host = host
		if got := OtherHost(r, "api.resend.com"); got != want {
			t.Errorf("OtherHost(%q) = %v, want %v", host, got, want)
		}
	}
}
