package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/builtin"
	"github.com/hookbridge/hookbridge/js"
)

// errFindings makes the exit code non-zero after the findings were printed.
var errFindings = errors.New("the transformation has problems (see above)")

func newTransformCommand() *cobra.Command {
	var eventType, payloadFile, integration string
	var creds map[string]string
	cmd := &cobra.Command{
		Use:   "transform <handler.js>",
		Short: "Run a transformation locally and show the request it would make",
		Long: `Run a transformation handler on a sample event (or your own payload), with the
same sandbox and the same destination checks as the server, and print the
request it would send: method, URL, headers (secrets masked) and body. Any
reason the destination would reject it is listed with a suggested fix.

Credentials not given are placeholders, except the webhook URL of a tool
whose URL carries a token (Slack, Discord, Zapier …): give it with
--credential <name>=https://… (the command names the credential when it
is missing). It is checked as creating an endpoint checks it, and masked
in what is printed.

Exits 0 when the request would be accepted or the event is skipped on
purpose, 1 when the code fails or the destination would reject the request.`,
		Example: `  hookbridge transform handler.js --event payment.succeeded --integration segment
  hookbridge transform handler.js --event subscription.active --payload my-event.json --integration customerio
  hookbridge transform handler.js --event payment.failed --integration slack --credential webhook_url=https://hooks.slack.com/services/T000/B000/XXXX`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			code, err := os.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("read handler: %w", err)
			}
			payload, err := transformPayload(eventType, payloadFile)
			if err != nil {
				return err
			}
			integrations := hookbridge.NewIntegrations(builtin.All()...)
			return runTransform(cmd, integrations, string(code), integration, eventType, payload, creds)
		},
	}
	cmd.Flags().StringVar(&eventType, "event", "", "the event type, e.g. payment.succeeded")
	cmd.Flags().StringVar(&payloadFile, "payload", "", "a JSON file with the event (default: the event type's sample)")
	cmd.Flags().StringVar(&integration, "integration", "webhook", "the integration: "+integrationIDs(hookbridge.NewIntegrations(builtin.All()...)))
	cmd.Flags().StringToStringVar(&creds, "credential", nil, "a credential as name=value (e.g. region=eu, webhook_url=https://…); may be repeated")
	_ = cmd.MarkFlagRequired("event")
	return cmd
}

func transformPayload(eventType, file string) ([]byte, error) {
	et, ok := catalog.Lookup(eventType)
	if file == "" {
		if !ok {
			return nil, fmt.Errorf("unknown event type %q; run \"hookbridge event-types\", or give --payload", eventType)
		}
		return et.Sample, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read payload: %w", err)
	}
	if !json.Valid(b) || !bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) {
		return nil, fmt.Errorf("payload %s is not a JSON object", file)
	}
	return b, nil
}

// integrationIDs lists the ids of a catalogue, for help and errors.
func integrationIDs(integrations *hookbridge.Integrations) string {
	ids := make([]string, 0, len(integrations.All()))
	for _, in := range integrations.All() {
		ids = append(ids, in.Info().ID)
	}
	return strings.Join(ids, ", ")
}

// localCredentials returns the credentials a local run uses: the given
// ones, checked as creating an endpoint checks them, and a placeholder or
// the default for the others. The URL credential has no placeholder: the
// request goes where it points, so it must be given.
func localCredentials(info hookbridge.IntegrationInfo, given map[string]string) (hookbridge.Credentials, error) {
	fields := map[string]hookbridge.CredentialField{}
	for _, f := range info.Credentials {
		fields[f.Name] = f
	}
	full := hookbridge.Credentials{}
	for _, f := range info.Credentials {
		full[f.Name] = f.Default
		if f.Required {
			full[f.Name] = "YOUR_" + strings.ToUpper(f.Name)
		}
	}
	for k, v := range given {
		f, ok := fields[k]
		if !ok {
			return nil, fmt.Errorf("--credential %s: %s has no such credential", k, info.Name)
		}
		if err := checkCredential(f, strings.TrimSpace(v)); err != nil {
			return nil, err
		}
		full[k] = strings.TrimSpace(v)
	}
	if name := info.URLCredential; name != "" && strings.TrimSpace(given[name]) == "" {
		return nil, fmt.Errorf("%s sends to the webhook URL you create in it, which holds a token: give it with --credential %s=https://…", info.Name, name)
	}
	return full, nil
}

// checkCredential checks one given credential against its field's
// choices and its own check.
func checkCredential(f hookbridge.CredentialField, v string) error {
	if len(f.Choices) > 0 && v != "" && !slices.Contains(f.Choices, v) {
		return fmt.Errorf("--credential %s: must be one of %s", f.Name, strings.Join(f.Choices, ", "))
	}
	if f.Check != nil && v != "" {
		if msg := f.Check(v); msg != "" {
			return fmt.Errorf("--credential %s: %s %s", f.Name, f.Label, msg)
		}
	}
	return nil
}

func runTransform(cmd *cobra.Command, integrations *hookbridge.Integrations, code, integration, eventType string, payload []byte, creds map[string]string) error {
	integ, ok := integrations.Get(integration)
	if !ok {
		return fmt.Errorf("unknown integration %q: use one of %s", integration, integrationIDs(integrations))
	}
	info := integ.Info()
	full, err := localCredentials(info, creds)
	if err != nil {
		return err
	}
	ep := &hookbridge.Endpoint{ID: "ep_local", Integration: info.ID, Credentials: full,
		Transformation: hookbridge.Transformation{Code: code, Enabled: true}}
	planner := &delivery.Planner{Integrations: integrations, Transformer: js.New(js.Options{})}
	now := time.Now()
	plan, err := planner.Plan(cmd.Context(), ep, delivery.Input{MessageID: hookbridge.NewID("msg"), EventType: eventType, Payload: payload, CreatedAt: now}, now)
	out := cmd.OutOrStdout()
	var codeErr *hookbridge.CodeError
	if errors.As(err, &codeErr) {
		printConsole(out, codeErr.Console)
		return fmt.Errorf("%w", codeErr)
	}
	if err != nil {
		return err
	}
	printConsole(out, plan.Console)
	if plan.Skipped() {
		fmt.Fprintf(out, "skipped: %s\n", plan.SkipReason)
		return nil
	}
	printRequest(out, plan.Recorded())
	fmt.Fprintf(out, "\ntransformation ran in %s\n", plan.TransformDuration.Round(time.Microsecond))
	blocking := hookbridge.Blocking(plan.Problems)
	if len(blocking) == 0 {
		fmt.Fprintf(out, "%s would accept this request.\n", info.Name)
	} else {
		fmt.Fprintf(out, "\n%s would not accept this request:\n", info.Name)
	}
	for _, p := range plan.Problems {
		kind := "-"
		if p.Warning {
			kind = "warning:"
		}
		fmt.Fprintf(out, "  %s %s: %s\n", kind, p.Field, p.Message)
		if p.Fix != "" {
			fmt.Fprintf(out, "    fix: %s\n", p.Fix)
		}
	}
	if len(blocking) > 0 {
		return errFindings
	}
	return nil
}

func printConsole(out io.Writer, lines []string) {
	for _, l := range lines {
		fmt.Fprintf(out, "console: %s\n", l)
	}
}

func printRequest(out io.Writer, req hookbridge.RecordedRequest) {
	fmt.Fprintf(out, "%s %s\n", req.Method, req.URL)
	for _, k := range slices.Sorted(maps.Keys(req.Headers)) {
		fmt.Fprintf(out, "%s: %s\n", k, req.Headers[k])
	}
	var pretty bytes.Buffer
	if json.Indent(&pretty, []byte(req.Body), "", "  ") == nil {
		fmt.Fprintf(out, "\n%s\n", pretty.String())
	} else {
		fmt.Fprintf(out, "\n%s\n", req.Body)
	}
}
