package httpapi

import (
	"fmt"
	"strings"
)

// A line diff of two texts in the unified format (diff -u): the lines
// removed from the first start with "-", those added in the second with
// "+", and each hunk shows up to diffContext unchanged lines around its
// changes. The edit script is Myers' shortest one, found after the common
// first and last lines are set aside.

// diffContext is how many unchanged lines a hunk shows around a change.
const diffContext = 3

// maxEditDistance bounds the search for the shortest edit script, whose
// trace takes memory in the square of the number of changed lines (about
// 8 MB at this bound) and time in their product with the lines compared;
// past it, the diff removes every differing line and adds the new ones.
const maxEditDistance = 1000

// lineOp is one line of an edit script.
type lineOp struct {
	// kind is ' ' (in both texts), '-' (removed) or '+' (added).
	kind byte
	line string
}

// lineDiff is a line diff of two texts.
type lineDiff struct {
	ops            []lineOp
	added, removed int
}

// diffTexts compares two texts line by line.
func diffTexts(from, to string) lineDiff {
	ops := diffLines(splitLines(from), splitLines(to))
	d := lineDiff{ops: ops}
	for _, op := range ops {
		switch op.kind {
		case '+':
			d.added++
		case '-':
			d.removed++
		}
	}
	return d
}

// splitLines splits text into lines that keep their "\n"; the last one
// lacks it when the text does not end with a line break.
func splitLines(text string) []string {
	if text == "" {
		return nil
	}
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// diffLines returns an edit script that turns a into b.
func diffLines(a, b []string) []lineOp {
	prefix := 0
	for prefix < len(a) && prefix < len(b) && a[prefix] == b[prefix] {
		prefix++
	}
	suffix := 0
	for suffix < len(a)-prefix && suffix < len(b)-prefix && a[len(a)-1-suffix] == b[len(b)-1-suffix] {
		suffix++
	}
	ops := make([]lineOp, 0, len(a)+len(b))
	for _, l := range a[:prefix] {
		ops = append(ops, lineOp{' ', l})
	}
	ops = append(ops, middleOps(a[prefix:len(a)-suffix], b[prefix:len(b)-suffix])...)
	for _, l := range a[len(a)-suffix:] {
		ops = append(ops, lineOp{' ', l})
	}
	return ops
}

// middleOps is the shortest edit script from a to b, or, when it is longer
// than maxEditDistance, every line of a removed and every line of b added.
func middleOps(a, b []string) []lineOp {
	if ops, ok := myers(a, b); ok {
		return ops
	}
	ops := make([]lineOp, 0, len(a)+len(b))
	for _, l := range a {
		ops = append(ops, lineOp{'-', l})
	}
	for _, l := range b {
		ops = append(ops, lineOp{'+', l})
	}
	return ops
}

// myers finds the shortest edit script from a to b (E. Myers, "An O(ND)
// Difference Algorithm and Its Variations", 1986): for each number of
// edits d it extends, on every diagonal k = x - y, the furthest path that
// uses d edits, until one reaches the end of both. The furthest x of each
// diagonal is kept per d, to walk back from the end. ok is false when more
// than maxEditDistance edits are needed.
func myers(a, b []string) (ops []lineOp, ok bool) {
	n, m := len(a), len(b)
	limit := min(n+m, maxEditDistance)
	v := make([]int, 2*limit+3)
	offset := limit + 1
	var trace [][]int // trace[d][k+d] is v[k] before step d
	for d := 0; d <= limit; d++ {
		trace = append(trace, append([]int(nil), v[offset-d:offset+d+1]...))
		for k := -d; k <= d; k += 2 {
			x := v[offset+k-1] + 1
			if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
				x = v[offset+k+1]
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[offset+k] = x
			if x >= n && y >= m {
				return backtrack(a, b, trace), true
			}
		}
	}
	return nil, false
}

// backtrack walks the trace of myers back from the end of a and b and
// returns the edit script in order.
func backtrack(a, b []string, trace [][]int) []lineOp {
	x, y := len(a), len(b)
	var reversed []lineOp
	for d := len(trace) - 1; d > 0; d-- {
		v := func(k int) int { return trace[d][k+d] }
		k := x - y
		prevK := k - 1
		if k == -d || (k != d && v(k-1) < v(k+1)) {
			prevK = k + 1
		}
		prevX := v(prevK)
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x, y = x-1, y-1
			reversed = append(reversed, lineOp{' ', a[x]})
		}
		if x == prevX {
			y--
			reversed = append(reversed, lineOp{'+', b[y]})
		} else {
			x--
			reversed = append(reversed, lineOp{'-', a[x]})
		}
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		reversed = append(reversed, lineOp{' ', a[x]})
	}
	ops := make([]lineOp, len(reversed))
	for i, op := range reversed {
		ops[len(reversed)-1-i] = op
	}
	return ops
}

// unified writes the diff in the unified format under the given file
// names; it is "" when the texts are the same.
func (d lineDiff) unified(fromName, toName string) string {
	hunks := d.hunks()
	if len(hunks) == 0 {
		return ""
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s\n+++ %s\n", fromName, toName)
	for _, h := range hunks {
		h.write(&sb, d.ops)
	}
	return sb.String()
}

// hunk is a run of ops[start:end] shown together, and where it starts in
// each text (0-based).
type hunk struct {
	start, end     int
	fromAt, toAt   int
	fromLen, toLen int
}

// hunks groups the changes with their context; changes closer than twice
// the context share a hunk.
func (d lineDiff) hunks() []hunk {
	var (
		out      []hunk
		fromLine int
		toLine   int
	)
	// at[i] is the line of each text where ops[i] stands.
	type pos struct{ from, to int }
	at := make([]pos, len(d.ops)+1)
	for i, op := range d.ops {
		at[i] = pos{fromLine, toLine}
		if op.kind != '+' {
			fromLine++
		}
		if op.kind != '-' {
			toLine++
		}
	}
	at[len(d.ops)] = pos{fromLine, toLine}
	for i := 0; i < len(d.ops); {
		if d.ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(i-diffContext, 0)
		end := i
		for j := i; j < len(d.ops) && j-end <= 2*diffContext; j++ {
			if d.ops[j].kind != ' ' {
				end = j + 1
			}
		}
		end = min(end+diffContext, len(d.ops))
		out = append(out, hunk{
			start: start, end: end,
			fromAt: at[start].from, toAt: at[start].to,
			fromLen: at[end].from - at[start].from, toLen: at[end].to - at[start].to,
		})
		i = end
	}
	return out
}

func (h hunk) write(sb *strings.Builder, ops []lineOp) {
	fmt.Fprintf(sb, "@@ -%s +%s @@\n", hunkRange(h.fromAt, h.fromLen), hunkRange(h.toAt, h.toLen))
	for _, op := range ops[h.start:h.end] {
		sb.WriteByte(op.kind)
		sb.WriteString(op.line)
		if !strings.HasSuffix(op.line, "\n") {
			sb.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange is a hunk header's range as diff -u writes it: the first line
// (1-based) and the count, the count left out when it is 1, and an empty
// range given as the line before it.
func hunkRange(at, length int) string {
	switch length {
	case 0:
		return fmt.Sprintf("%d,0", at)
	case 1:
		return fmt.Sprintf("%d", at+1)
	}
	return fmt.Sprintf("%d,%d", at+1, length)
}
