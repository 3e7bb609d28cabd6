package main

import (
	"fmt"
	"os"
	"slices"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hookbridge/hookbridge/node"
)

// migrateSettings are the settings of serve that say which database to
// migrate.
var migrateSettings = []string{"data-dir", "database-url"}

func newMigrateCommand() *cobra.Command {
	var s settings
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Bring the database schema up to date and print the migrations applied",
		Long: `Bring the database schema up to date and print the migrations applied.

It migrates the embedded SQLite database in --data-dir, or the PostgreSQL
database of --database-url (HOOKBRIDGE_DATABASE_URL). "hookbridge serve" runs
the same migrations when it starts, so this command is optional: use it to
migrate before rolling out a new version. Several nodes (or several migrate
commands) may run against one PostgreSQL database at once; each migration is
applied exactly once, under an advisory lock.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			applied, database, err := node.Migrate(cmd.Context(), node.Config{DataDir: s.DataDir, DatabaseURL: s.DatabaseURL})
			out := cmd.OutOrStdout()
			for _, m := range applied {
				fmt.Fprintf(out, "applied %s\n", m.File)
			}
			if err != nil {
				return err
			}
			if len(applied) == 0 {
				fmt.Fprintf(out, "%s is up to date: no migration to apply\n", database)
				return nil
			}
			fmt.Fprintf(out, "%s: applied %d migration(s)\n", database, len(applied))
			return nil
		},
	}
	bindNamedSettings(cmd.Flags(), &s, migrateSettings)
	return cmd
}

// bindNamedSettings declares the settings of settingTable whose flags are
// named, as bindSettings does for all of them.
func bindNamedSettings(fs *pflag.FlagSet, s *settings, flags []string) {
	for _, st := range settingTable {
		if !slices.Contains(flags, st.Flag) {
			continue
		}
		def := st.Default
		if v, ok := os.LookupEnv(st.Env); ok {
			def = v
		}
		st.bind(fs, s, def)
	}
}
