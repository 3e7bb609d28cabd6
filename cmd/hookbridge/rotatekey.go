package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hookbridge/hookbridge/node"
)

// rotateKeySettings are the settings of serve that rotate-key needs: where
// the database is, and the key ring.
var rotateKeySettings = []string{"data-dir", "database-url", "secret-key"}

func newRotateKeyCommand() *cobra.Command {
	var s settings
	cmd := &cobra.Command{
		Use:   "rotate-key",
		Short: "Encrypt every stored secret again under the first key of the key ring",
		Long: `Encrypt every stored secret again under the first key of the key ring.

Endpoint credentials and source signing secrets are stored encrypted with the
key ring of HOOKBRIDGE_SECRET_KEY (or of the key file in the data directory):
the first key encrypts, every key decrypts. To change keys without downtime:

  1. Put a new key first and keep the old one after it, on every node:
     HOOKBRIDGE_SECRET_KEY=<new>,<old> (new key: openssl rand -base64 32),
     and restart the nodes one by one.
  2. Run "hookbridge rotate-key" with that same key ring. It re-encrypts the
     secrets still under the old key, one row at a time, while the nodes serve.
  3. Remove the old key from HOOKBRIDGE_SECRET_KEY and restart the nodes.

Running it again is harmless: it reports that nothing was left to do.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg := node.Config{DataDir: s.DataDir, DatabaseURL: s.DatabaseURL, SecretKey: s.SecretKey}
			n, err := node.ResealSecrets(cmd.Context(), cfg)
			if err != nil {
				return fmt.Errorf("rotate key: %w (%d secrets were re-encrypted before this)", err, n)
			}
			if n == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "every secret is already encrypted with the first key: nothing to do")
				return nil
			}
			fmt.Fprintf(cmd.OutOrStdout(), "re-encrypted %d secrets with the first key of the key ring\n", n)
			return nil
		},
	}
	bindNamedSettings(cmd.Flags(), &s, rotateKeySettings)
	return cmd
}
