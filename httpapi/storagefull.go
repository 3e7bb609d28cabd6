package httpapi

import (
	"errors"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hookbridge/hookbridge"
)

// When the store runs out of space (hookbridge.ErrStorageFull), writes are
// answered 503 with Retry-After, so that platforms send their events again
// later rather than give up on a 500, and /readyz answers 503 until a write
// succeeds again or StorageFullRetry has passed since the last refused one.

// StorageFullRetry is the Retry-After of an answer to a write the store
// refused for lack of space, and how long such a refusal keeps /readyz
// unready.
const StorageFullRetry = 30 * time.Second

var errStorageFull = &apiError{Status: http.StatusServiceUnavailable, Code: "storage_full",
	Message: "the server's storage is full; nothing was stored: send the request again later"}

// writeHealth remembers whether the store's last write was refused for
// lack of space, and when. Every request reads it, so a successful write
// only loads it unless there is a refusal to forget.
type writeHealth struct {
	fullAt atomic.Int64 // Unix nanoseconds of the refusal; 0 when none
}

// observe takes note of how a request that may have written ended.
func (h *writeHealth) observe(r *http.Request, err error, now time.Time) {
	switch {
	case errors.Is(err, hookbridge.ErrStorageFull):
		h.fullAt.Store(now.UnixNano())
	case err == nil && r.Method != http.MethodGet && r.Method != http.MethodHead && h.fullAt.Load() != 0:
		h.fullAt.Store(0)
	}
}

// check returns an error while a refused write is the latest and recent.
func (h *writeHealth) check(now time.Time) error {
	at := h.fullAt.Load()
	if at != 0 && now.Sub(time.Unix(0, at)) < StorageFullRetry {
		return errors.New("the store refused the last write for lack of space (disk full)")
	}
	return nil
}

// setRetryAfter tells the client when to try a refused write again.
func setRetryAfter(w http.ResponseWriter) {
	w.Header().Set("Retry-After", strconv.Itoa(int(StorageFullRetry/time.Second)))
}
