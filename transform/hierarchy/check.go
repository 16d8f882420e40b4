package hierarchy

import "fmt"

// CheckNested reports an error unless, among the given leaves, each label at
// level l determines the label at level l+1: two leaves that share a label at
// one level share it at every higher level. k-anonymity needs this to merge
// classes from one level to the next. The error names the level and the line
// (1-based leaf index), never a value.
func (h *Hierarchy) CheckNested(leaves []int) error {
	for l := 1; l < h.Height(); l++ {
		up := make(map[string]string, len(leaves))
		for _, i := range leaves {
			lo, hi := h.rows[i][l], h.rows[i][l+1]
			if prev, ok := up[lo]; ok && prev != hi {
				return fmt.Errorf("hierarchy line %d: a label at level %d maps to two "+
					"different labels at level %d", i+1, l, l+1)
			}
			up[lo] = hi
		}
	}
	return nil
}
