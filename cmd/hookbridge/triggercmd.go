package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/signing"
)

func newTriggerCommand() *cobra.Command {
	var to, server, source, secret string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "trigger <event-type>",
		Short: "Send a signed sample event, as the payments platform would",
		Long: `Send the sample payload of an event type, signed with Standard Webhooks
headers, to a hookbridge source (--source, on the server at --server) or to
any URL (--to). Prints what the receiver answered.

"hookbridge event-types" lists the event types.`,
		Example: `  hookbridge trigger payment.succeeded --source src_01J… --secret whsec_…
  hookbridge trigger subscription.cancelled --to http://127.0.0.1:9000/hook --secret whsec_…`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			et, ok := catalog.Lookup(args[0])
			if !ok {
				return fmt.Errorf("unknown event type %q; run \"hookbridge event-types\" to list them", args[0])
			}
			target := to
			if target == "" {
				if source == "" {
					return fmt.Errorf("say where to send it: --source <source id> (on --server %s) or --to <url>", server)
				}
				target = strings.TrimRight(server, "/") + "/ingest/" + source
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			return trigger(ctx, cmd.OutOrStdout(), target, secret, et)
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "send to this URL instead of a hookbridge source")
	cmd.Flags().StringVar(&server, "server", "http://127.0.0.1:8080", "the hookbridge server of --source")
	cmd.Flags().StringVar(&source, "source", "", "the id of the hookbridge source to send to")
	cmd.Flags().StringVar(&secret, "secret", "", "the source's signing secret (whsec_…)")
	cmd.Flags().DurationVar(&timeout, "timeout", 15*time.Second, "how long to wait for an answer")
	_ = cmd.MarkFlagRequired("secret")
	return cmd
}

func trigger(ctx context.Context, out io.Writer, target, secret string, et hookbridge.EventType) error {
	id := hookbridge.NewID("msg")
	now := time.Now()
	sig, err := signing.Sign(secret, id, now, et.Sample)
	if err != nil {
		return fmt.Errorf("sign: %w (the secret must be whsec_ followed by base64)", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(et.Sample))
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(signing.HeaderID, id)
	req.Header.Set(signing.HeaderTimestamp, signing.FormatTimestamp(now))
	req.Header.Set(signing.HeaderSignature, sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("send %s to %s: %w (is the server running?)", et.Name, target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	fmt.Fprintf(out, "sent %s (webhook-id %s) to %s\n%s\n%s\n", et.Name, id, target, resp.Status, strings.TrimSpace(string(body)))
	if resp.StatusCode >= 300 {
		return fmt.Errorf("the receiver answered %s", resp.Status)
	}
	return nil
}

func newEventTypesCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "event-types",
		Short: "List the payment event types hookbridge knows, with what each means",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, et := range catalog.All() {
				fmt.Fprintf(cmd.OutOrStdout(), "%-36s %s\n", et.Name, et.Description)
			}
			return nil
		},
	}
}
