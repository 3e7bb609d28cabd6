// Command hookbridge is the webhook integration gateway: it receives payment
// events, transforms them for tools such as Customer.io and Segment, and
// delivers them reliably.
//
// Run "hookbridge serve" to start it, and "hookbridge --help" for the other
// commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCommand().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "hookbridge:", err)
		os.Exit(1)
	}
}

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "hookbridge",
		Short:         "A self-hostable webhook integration gateway for payment events",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCommand(), newConfigCommand(), newTriggerCommand(), newTransformCommand(),
		newSignCommand(), newVerifyCommand(), newEventTypesCommand(), newMigrateCommand(), newRotateKeyCommand())
	addConfigFlag(root)
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error { return applyConfigFile(cmd) }
	return root
}
