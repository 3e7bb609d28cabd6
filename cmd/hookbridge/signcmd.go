package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/signing"
)

func newSignCommand() *cobra.Command {
	var secret, id string
	var timestamp int64
	cmd := &cobra.Command{
		Use:   "sign [file]",
		Short: "Sign a payload with a Standard Webhooks secret and print the headers",
		Long: `Sign a payload (a file, or standard input when no file or "-" is given) with a
Standard Webhooks secret, and print the webhook-id, webhook-timestamp and
webhook-signature headers a sender would attach.`,
		Example: `  hookbridge sign --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw event.json`,
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			body, err := readInput(cmd, args)
			if err != nil {
				return err
			}
			if id == "" {
				id = hookbridge.NewID("msg")
			}
			ts := time.Now()
			if timestamp != 0 {
				ts = time.Unix(timestamp, 0)
			}
			sig, err := signing.Sign(secret, id, ts, body)
			if err != nil {
				return fmt.Errorf("sign: %w (the secret must be whsec_ followed by base64)", err)
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "%s: %s\n%s: %s\n%s: %s\n", signing.HeaderID, id, signing.HeaderTimestamp, signing.FormatTimestamp(ts), signing.HeaderSignature, sig)
			return nil
		},
	}
	cmd.Flags().StringVar(&secret, "secret", "", "the signing secret (whsec_…)")
	cmd.Flags().StringVar(&id, "id", "", "the message id (default: a new one)")
	cmd.Flags().Int64Var(&timestamp, "timestamp", 0, "unix seconds (default: now)")
	_ = cmd.MarkFlagRequired("secret")
	return cmd
}

func newVerifyCommand() *cobra.Command {
	var secrets, headerLines []string
	var id, timestamp, signature string
	var tolerance time.Duration
	cmd := &cobra.Command{
		Use:   "verify [file]",
		Short: "Verify a Standard Webhooks signature over a payload",
		Long: `Verify a Standard Webhooks signature over a payload (a file, or standard input
when no file or "-" is given). Exits 0 when it verifies, 1 with the reason
otherwise. Give --secret several times to try each (as during a rotation).

Give the signature headers with --id, --timestamp and --signature, or as
captured from a request with --header (repeatable, "name: value"), under
their Standard Webhooks names (webhook-id, webhook-timestamp,
webhook-signature) or their Svix names (svix-id, svix-timestamp,
svix-signature). Where both names of a header are given, the webhook-*
one is used, as at POST /ingest/{source}.`,
		Example: `  hookbridge verify --secret whsec_… --id msg_p5jXN8AQM9LWM0D4loKWxJek \
    --timestamp 1614265330 --signature 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' \
    --tolerance 0 event.json
  hookbridge verify --secret whsec_… -H 'svix-id: msg_p5jXN8AQM9LWM0D4loKWxJek' \
    -H 'svix-timestamp: 1614265330' -H 'svix-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' event.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			body, err := readInput(cmd, args)
			if err != nil {
				return err
			}
			h, err := verifyHeaders(headerLines, id, timestamp, signature)
			if err != nil {
				return err
			}
			now := time.Now()
			if tolerance < 0 {
				// Check the signature only: pretend now is the timestamp.
				if secs, err := strconv.ParseInt(signing.ReadHeaders(h).Timestamp, 10, 64); err == nil {
					now = time.Unix(secs, 0)
				}
			}
			if err := signing.Verify(secrets, h, body, now, tolerance); err != nil {
				return fmt.Errorf("does not verify: %w", err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), "signature verified")
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&secrets, "secret", nil, "a signing secret (whsec_…); may be repeated")
	cmd.Flags().StringArrayVarP(&headerLines, "header", "H", nil, `a request header, "name: value" (webhook-* or svix-*); may be repeated`)
	cmd.Flags().StringVar(&id, "id", "", "the webhook-id header")
	cmd.Flags().StringVar(&timestamp, "timestamp", "", "the webhook-timestamp header (unix seconds)")
	cmd.Flags().StringVar(&signature, "signature", "", "the webhook-signature header")
	cmd.Flags().DurationVar(&tolerance, "tolerance", signing.DefaultTolerance, "how far the timestamp may be from now; negative skips the check")
	_ = cmd.MarkFlagRequired("secret")
	return cmd
}

// verifyHeaders builds the request headers to verify: each "name: value"
// line, then the webhook-* headers given by flag, which replace any line
// of the same name.
func verifyHeaders(lines []string, id, timestamp, signature string) (http.Header, error) {
	h := http.Header{}
	for _, line := range lines {
		name, value, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("--header %q: want \"name: value\"", line)
		}
		h.Add(name, strings.TrimSpace(value))
	}
	for name, value := range map[string]string{signing.HeaderID: id, signing.HeaderTimestamp: timestamp, signing.HeaderSignature: signature} {
		if value != "" {
			h.Set(name, value)
		}
	}
	return h, nil
}

// readInput reads the named file, or standard input for none or "-".
func readInput(cmd *cobra.Command, args []string) ([]byte, error) {
	if len(args) == 0 || args[0] == "-" {
		b, err := io.ReadAll(cmd.InOrStdin())
		if err != nil {
			return nil, fmt.Errorf("read standard input: %w", err)
		}
		return b, nil
	}
	b, err := os.ReadFile(args[0])
	if err != nil {
		return nil, fmt.Errorf("read payload: %w", err)
	}
	return b, nil
}
