// Package suggest finds the known name a mistyped one was meant to be,
// for "did you mean" hints in error messages.
package suggest

import "strings"

// Closest returns the candidate nearest to name by edit distance, ignoring
// case, when it is close enough to be a typo (at most 2 edits, or a third
// of the name's length for long names); otherwise "". Ties go to the
// earlier candidate.
func Closest(name string, candidates []string) string {
	name = strings.ToLower(name)
	best, bestD := "", max(2, len(name)/3)+1
	for _, c := range candidates {
		if d := distance(name, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein edit distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
