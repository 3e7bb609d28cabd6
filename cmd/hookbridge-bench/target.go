package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/metrics"
	"github.com/hookbridge/hookbridge/node"
)

// hookbridgeUnderTest is the hookbridge the load goes to: one started in
// this process, or one already running (--target).
type hookbridgeUnderTest struct {
	api *apiClient
	// startDelivery starts the dispatcher of an in-process hookbridge
	// opened with its dispatcher held back (for --backlog); nil otherwise.
	startDelivery func()
	// stop shuts an in-process hookbridge down and removes its data; it
	// does nothing for a target.
	stop func() error
	// writerStats reads the counters of an in-process SQLite store's
	// single writer; nil for PostgreSQL and targets.
	writerStats func() hookbridge.WriterStats
}

// startInProcess opens a hookbridge in this process on 127.0.0.1:0 with a
// fresh data directory (and SQLite), or on cfg.DatabaseURL. api.segment.io
// is pointed at the sink, and private addresses are allowed so that
// webhooks reach it. With holdDelivery its dispatcher does not run until
// startDelivery is called.
func startInProcess(ctx context.Context, cfg config, sinkURL string, holdDelivery bool) (*hookbridgeUnderTest, error) {
	dir, err := os.MkdirTemp("", "hookbridge-bench-*")
	if err != nil {
		return nil, fmt.Errorf("make data directory: %w", err)
	}
	sinkAddr, err := url.Parse(sinkURL)
	if err != nil {
		return nil, fmt.Errorf("sink URL: %w", err)
	}
	token := "hbk_bench_" + randomHex(16)
	n, err := node.Open(ctx, node.Config{
		DataDir:       dir,
		DatabaseURL:   cfg.DatabaseURL,
		SecretKey:     randomHex(32), // a throwaway key: nothing outlives the run
		AdminToken:    token,
		HostOverrides: map[string]*url.URL{"api.segment.io": sinkAddr},
		AllowPrivate:  true,
		Workers:       cfg.Workers,
		CommitDelay:   node.CommitDelaySetting(cfg.CommitDelay),
		Logger:        slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("open hookbridge: %w", err), os.RemoveAll(dir))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, errors.Join(fmt.Errorf("listen: %w", err), n.Close(), os.RemoveAll(dir))
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan error, 2)
	hb := &hookbridgeUnderTest{api: newAPIClient("http://"+ln.Addr().String(), token, cfg.Concurrency)}
	if w, ok := n.Store.(metrics.WriterSource); ok {
		hb.writerStats = w.WriterStats
	}
	if holdDelivery {
		// Serve the API alone; the dispatcher starts when told.
		srv := &http.Server{Handler: n.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { done <- ignoreClosed(srv.Serve(ln)) }()
		dispatched := make(chan error, 1)
		started := false
		hb.startDelivery = func() {
			started = true
			go func() { dispatched <- n.Dispatcher.Run(runCtx) }()
		}
		go func() {
			<-runCtx.Done()
			err := srv.Shutdown(context.Background())
			if started {
				err = errors.Join(err, <-dispatched)
			}
			done <- err
		}()
	} else {
		go func() { done <- n.Run(runCtx, ln); done <- nil }()
	}
	hb.stop = func() error {
		cancel()
		err := errors.Join(<-done, <-done)
		return errors.Join(err, n.Close(), os.RemoveAll(dir))
	}
	return hb, nil
}

func ignoreClosed(err error) error {
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// useTarget returns a running hookbridge at base, reached with token.
func useTarget(base, token string, concurrency int) *hookbridgeUnderTest {
	return &hookbridgeUnderTest{api: newAPIClient(base, token, concurrency), stop: func() error { return nil }}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// apiClient calls hookbridge's API.
type apiClient struct {
	base, token string
	http        *http.Client
}

func newAPIClient(base, token string, concurrency int) *apiClient {
	transport := &http.Transport{
		MaxIdleConns:        concurrency + 8,
		MaxIdleConnsPerHost: concurrency + 8,
		IdleConnTimeout:     time.Minute,
	}
	return &apiClient{base: base, token: token, http: &http.Client{Transport: transport, Timeout: 30 * time.Second}}
}

// do sends a JSON request and decodes a 2xx answer into out (if not nil).
func (c *apiClient) do(ctx context.Context, method, path string, body, out any) error {
	var reader io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("encode %s %s: %w", method, path, err)
		}
		reader = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, reader)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(answer))
	}
	if out != nil {
		if err := json.Unmarshal(answer, out); err != nil {
			return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
		}
	}
	return nil
}

// postMessage posts one event, already encoded as the request body, and
// reports whether hookbridge accepted it (202).
func (c *apiClient) postMessage(ctx context.Context, app string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/v1/apps/"+app+"/messages", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("POST messages: %s", resp.Status)
	}
	return nil
}
