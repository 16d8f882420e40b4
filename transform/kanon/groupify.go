package kanon

// classList holds the equivalence classes of one lattice node: for each
// class a representative tuple, its number of records and, with
// l-diversity, up to l distinct sensitive codes.
type classList struct {
	rep  []int32
	size []int64
	sens [][]int32
	key  []uint64 // packed ids at the node's levels, when dm.bits <= 64
}

func (cl *classList) reset(n int) {
	if cap(cl.rep) < n {
		cl.rep, cl.size, cl.key = make([]int32, 0, n), make([]int64, 0, n), make([]uint64, 0, n)
	}
	cl.rep, cl.size, cl.sens, cl.key = cl.rep[:0], cl.size[:0], cl.sens[:0], cl.key[:0]
}

// slot is an entry of the grouper's hash table; it is in use when its stamp
// is the grouper's.
type slot struct {
	key   uint64
	class int32
	stamp uint32
}

// grouper merges the classes of a finer node into those of a coarser one.
// Because every hierarchy is nested (see hierarchy.CheckNested), the records
// of one class of the finer node all fall into one class of the coarser node,
// so a class can move as a whole through its representative.
type grouper struct {
	dm    *domain
	l     int // l-diversity; 0 when off
	radix []uint64
	table []slot // open addressing, emptied by bumping stamp
	stamp uint32
	bykey map[string]int32 // fallback when keys do not fit in 64 bits
	buf   []byte
}

func newGrouper(dm *domain, l int) *grouper {
	return &grouper{dm: dm, l: l, radix: make([]uint64, dm.d)}
}

// bottom returns the counted tuples as a class list (finer than level 0:
// with a sensitive column, tuples differ in more than the quasi-identifiers).
func (g *grouper) bottom() *classList {
	dm := g.dm
	cl := &classList{}
	for t, n := range dm.counts {
		var key uint64
		for q := 0; q < dm.d; q++ {
			key |= uint64(dm.gen[q][0][dm.codes[t*dm.width+q]]) << dm.shift[q]
		}
		cl.key = append(cl.key, key)
		cl.rep = append(cl.rep, int32(t))
		cl.size = append(cl.size, n)
		if g.l > 0 {
			cl.sens = append(cl.sens, []int32{dm.codes[t*dm.width+dm.d]})
		}
	}
	return cl
}

// step fills dst with the classes of the node at levels from src, the
// classes of the node with column raised one level lower (or, with raised
// -1, the counted tuples at level 0). Only the raised column's id changes in
// the packed keys.
func (g *grouper) step(levels []int, raised int, src, dst *classList) {
	dm := g.dm
	if dm.bits > 64 {
		g.group(levels, src, dst)
		return
	}
	dst.reset(len(src.rep))
	table := g.tableFor(len(src.rep))
	mask := uint64(len(table) - 1)
	stamp := g.stamp

	var up []int32
	var shift uint
	var field uint64
	if raised >= 0 {
		up = dm.up[raised][levels[raised]-1]
		shift = dm.shift[raised]
		field = uint64(1)<<(dm.bits-shift) - 1
		if raised+1 < dm.d {
			field = uint64(1)<<(dm.shift[raised+1]-shift) - 1
		}
	}
	for c, key := range src.key {
		if up != nil {
			id := (key >> shift) & field
			key = key&^(field<<shift) | uint64(up[id])<<shift
		}
		h := (key * 0x9E3779B97F4A7C15) >> 20
		for {
			e := &table[h&mask]
			if e.stamp != stamp {
				*e = slot{key: key, class: int32(len(dst.rep)), stamp: stamp}
				dst.key = append(dst.key, key)
				g.newClass(dst, src, c)
				break
			}
			if e.key == key {
				g.addTo(dst, int(e.class), src, c)
				break
			}
			h++
		}
	}
}

// tableFor returns the emptied hash table for n entries.
func (g *grouper) tableFor(n int) []slot {
	size := 16
	for size < 2*n {
		size *= 2
	}
	if cap(g.table) < size {
		g.table = make([]slot, size)
	}
	g.stamp++
	if g.stamp == 0 {
		clear(g.table[:cap(g.table)])
		g.stamp = 1
	}
	return g.table[:size]
}

// group fills dst with the classes of the node at levels, from src, the
// classes of a node finer than or equal to it. It leaves dst.key empty.
func (g *grouper) group(levels []int, src, dst *classList) {
	dst.reset(len(src.rep))
	if !g.dm.radix(levels, g.radix) {
		g.groupSlow(levels, src, dst)
		return
	}

	table := g.tableFor(len(src.rep))
	mask := uint64(len(table) - 1)
	stamp := g.stamp

	dm := g.dm
	gens := make([][]int32, dm.d)
	for q, l := range levels {
		gens[q] = dm.gen[q][l]
	}
	for c, r := range src.rep {
		base := int(r) * dm.width
		var key uint64
		for q, gq := range gens {
			key = key*g.radix[q] + uint64(gq[dm.codes[base+q]])
		}
		h := (key * 0x9E3779B97F4A7C15) >> 20
		for {
			e := &table[h&mask]
			if e.stamp != stamp {
				*e = slot{key: key, class: int32(len(dst.rep)), stamp: stamp}
				g.newClass(dst, src, c)
				break
			}
			if e.key == key {
				g.addTo(dst, int(e.class), src, c)
				break
			}
			h++
		}
	}
}

// groupSlow is group with string keys, for very large domains.
func (g *grouper) groupSlow(levels []int, src, dst *classList) {
	dm := g.dm
	if g.bykey == nil {
		g.bykey = map[string]int32{}
	}
	clear(g.bykey)
	for c, r := range src.rep {
		g.buf = g.buf[:0]
		for q, l := range levels {
			id := dm.gen[q][l][dm.codes[int(r)*dm.width+q]]
			g.buf = append(g.buf, byte(id), byte(id>>8), byte(id>>16), byte(id>>24))
		}
		if e, ok := g.bykey[string(g.buf)]; ok {
			g.addTo(dst, int(e), src, c)
			continue
		}
		g.bykey[string(g.buf)] = int32(len(dst.rep))
		g.newClass(dst, src, c)
	}
}

func (g *grouper) newClass(dst, src *classList, c int) {
	dst.rep = append(dst.rep, src.rep[c])
	dst.size = append(dst.size, src.size[c])
	if g.l > 0 {
		dst.sens = append(dst.sens, append([]int32(nil), src.sens[c]...))
	}
}

func (g *grouper) addTo(dst *classList, e int, src *classList, c int) {
	dst.size[e] += src.size[c]
	if g.l > 0 {
		dst.sens[e] = mergeDistinct(dst.sens[e], src.sens[c], g.l)
	}
}

// mergeDistinct adds the codes of src missing from dst, stopping at l codes:
// enough to tell whether a class holds l distinct values.
func mergeDistinct(dst, src []int32, l int) []int32 {
	for _, s := range src {
		if len(dst) >= l {
			break
		}
		found := false
		for _, x := range dst {
			if x == s {
				found = true
				break
			}
		}
		if !found {
			dst = append(dst, s)
		}
	}
	return dst
}
