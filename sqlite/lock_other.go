//go:build !unix

package sqlite

import (
	"errors"
	"os"
)

// tryLock is not implemented here: Exclusive needs flock.
func tryLock(*os.File) (bool, error) {
	return false, errors.New("locking a data directory needs a Unix system")
}
