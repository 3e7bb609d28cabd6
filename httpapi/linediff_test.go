package httpapi

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestUnifiedDiffExamples(t *testing.T) {
	for _, c := range []struct {
		name, from, to, want string
	}{
		{"same", "a\nb\n", "a\nb\n", ""},
		{"both empty", "", "", ""},
		{"from nothing", "", "a\nb\n", "--- v1\n+++ v2\n@@ -0,0 +1,2 @@\n+a\n+b\n"},
		{"to nothing", "a\n", "", "--- v1\n+++ v2\n@@ -1 +0,0 @@\n-a\n"},
		{"one line changed", "a\nb\nc\n", "a\nB\nc\n", "--- v1\n+++ v2\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"no newline at end", "a\nb", "a\nb\n",
			"--- v1\n+++ v2\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
		{"context is three lines", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
			"--- v1\n+++ v2\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"},
		{"far changes make two hunks", lines(1, 20), strings.Replace(strings.Replace(lines(1, 20), "2\n", "two\n", 1), "19\n", "nineteen\n", 1),
			"--- v1\n+++ v2\n@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n@@ -16,5 +16,5 @@\n 16\n 17\n 18\n-19\n+nineteen\n 20\n"},
		{"near changes share a hunk", lines(1, 12), strings.Replace(strings.Replace(lines(1, 12), "2\n", "two\n", 1), "9\n", "nine\n", 1),
			"--- v1\n+++ v2\n@@ -1,12 +1,12 @@\n 1\n-2\n+two\n 3\n 4\n 5\n 6\n 7\n 8\n-9\n+nine\n 10\n 11\n 12\n"},
		{"insertion", "a\nc\n", "a\nb\nc\n", "--- v1\n+++ v2\n@@ -1,2 +1,3 @@\n a\n+b\n c\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := diffTexts(c.from, c.to).unified("v1", "v2"); got != c.want {
				t.Errorf("diff:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

// lines returns the numbers from..to, one a line.
func lines(from, to int) string {
	var sb strings.Builder
	for i := from; i <= to; i++ {
		sb.WriteString(strconv.Itoa(i) + "\n")
	}
	return sb.String()
}

// TestDiffIsShortestAndApplies: on random texts the edit script is as
// short as the longest common subsequence allows, and the unified diff,
// applied to the first text, gives the second.
func TestDiffIsShortestAndApplies(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		from, to := randomText(r), randomText(r)
		d := diffTexts(from, to)
		a, b := splitLines(from), splitLines(to)
		if want := len(a) + len(b) - 2*lcsLength(a, b); d.added+d.removed != want {
			t.Fatalf("case %d: %d edits, want %d\nfrom %q\nto %q", i, d.added+d.removed, want, from, to)
		}
		if got := applyUnified(t, from, d.unified("a", "b")); got != to {
			t.Fatalf("case %d: patched text %q, want %q\ndiff:\n%s", i, got, to, d.unified("a", "b"))
		}
	}
}

// TestDiffPastTheEditLimitStillApplies: texts too different for the
// shortest script get one that removes and adds, and is still right.
func TestDiffPastTheEditLimitStillApplies(t *testing.T) {
	from, to := lines(1, maxEditDistance), lines(maxEditDistance+1, 2*maxEditDistance+10)
	from = "same\n" + from + "end\n"
	to = "same\n" + to + "end\n"
	d := diffTexts(from, to)
	if d.removed != maxEditDistance || d.added != maxEditDistance+10 {
		t.Errorf("removed %d, added %d; want %d and %d", d.removed, d.added, maxEditDistance, maxEditDistance+10)
	}
	if got := applyUnified(t, from, d.unified("a", "b")); got != to {
		t.Error("patched text differs")
	}
}

func randomText(r *rand.Rand) string {
	var sb strings.Builder
	for range r.IntN(12) {
		sb.WriteString(string(rune('a' + r.IntN(4))))
		sb.WriteByte('\n')
	}
	if r.IntN(4) == 0 {
		sb.WriteString("tail")
	}
	return sb.String()
}

func lcsLength(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

// applyUnified applies a unified diff to text, checking each hunk's
// header and its context lines.
func applyUnified(t *testing.T, text, diff string) string {
	t.Helper()
	if diff == "" {
		return text
	}
	src := splitLines(text)
	rows := strings.SplitAfter(diff, "\n")
	var out []string
	next := 0 // the next line of src to copy
	for i := 2; i < len(rows) && rows[i] != ""; {
		var fromAt, fromLen, toAt, toLen int
		parseHunkHeader(t, rows[i], &fromAt, &fromLen, &toAt, &toLen)
		start := fromAt - 1
		if fromLen == 0 {
			start = fromAt
		}
		out = append(out, src[next:start]...)
		next = start
		for i++; i < len(rows) && rows[i] != "" && !strings.HasPrefix(rows[i], "@@"); i++ {
			kind, line := rows[i][0], rows[i][1:]
			if i+1 < len(rows) && strings.HasPrefix(rows[i+1], `\ No newline`) {
				line = strings.TrimSuffix(line, "\n")
				i++
			}
			if kind != '+' {
				if src[next] != line {
					t.Fatalf("line %d is %q, the diff says %q", next+1, src[next], line)
				}
				next++
			}
			if kind != '-' {
				out = append(out, line)
			}
		}
	}
	out = append(out, src[next:]...)
	return strings.Join(out, "")
}

func parseHunkHeader(t *testing.T, row string, fromAt, fromLen, toAt, toLen *int) {
	t.Helper()
	var from, to string
	if _, err := fmt.Sscanf(row, "@@ -%s +%s @@", &from, &to); err != nil {
		t.Fatalf("hunk header %q: %v", row, err)
	}
	*fromAt, *fromLen = parseRange(t, from)
	*toAt, *toLen = parseRange(t, to)
}

func parseRange(t *testing.T, r string) (at, length int) {
	t.Helper()
	first, count, found := strings.Cut(r, ",")
	at, err := strconv.Atoi(first)
	if err != nil {
		t.Fatalf("range %q", r)
	}
	length = 1
	if found {
		if length, err = strconv.Atoi(count); err != nil {
			t.Fatalf("range %q", r)
		}
	}
	return at, length
}
