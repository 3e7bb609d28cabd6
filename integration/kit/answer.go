package kit

import (
	"encoding/json"
	"math"
	"strings"
	"time"
)

// RetryAfterJSON reads a retry delay given in seconds (an integer or a
// float) under key of a JSON object body, as Discord's 429 gives
// retry_after; zero if there is none.
func RetryAfterJSON(body []byte, key string) time.Duration {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return 0
	}
	var secs float64
	if json.Unmarshal(obj[key], &secs) != nil || secs <= 0 || math.IsInf(secs, 0) || secs > 86400 {
		return 0
	}
	return time.Duration(math.Ceil(secs * float64(time.Second)))
}

// TextOr is s, a text an answer gave, unless it is blank (empty or white
// space only); then it is fallback.
func TextOr(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}
