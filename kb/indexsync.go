package kb

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// An index holds each document's passages under the document's content
// hash: the id of a passage is docKey:n, n its place among the document's
// passages. The manifest (an internal value written in the same batch as
// the passages, so the two never disagree) lists the keys held and how
// many passages each has. Bringing an index up to date with a set of
// passages deletes the keys no document has any more and indexes the keys
// the index lacks: an unchanged document costs nothing, however large the
// folder.

// manifestKey is the internal key of the manifest.
var manifestKey = []byte("duban.manifest")

// A docGroup is one document's passages, in order.
type docGroup struct {
	key string // hash of the document's name and the texts of its passages
	pos []int  // positions in the passages slice
}

// groupPassages groups passages by document, in the order documents first
// appear. The key hashes the name too: two files with the same text are
// two documents, each searched and cited.
func groupPassages(ps []Passage) []docGroup {
	at := map[string]int{}
	var groups []docGroup
	for i, p := range ps {
		k, ok := at[p.Doc]
		if !ok {
			k = len(groups)
			at[p.Doc] = k
			groups = append(groups, docGroup{})
		}
		groups[k].pos = append(groups[k].pos, i)
	}
	var n [8]byte
	for gi := range groups {
		g := &groups[gi]
		h := sha256.New()
		write := func(s string) {
			binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
			h.Write(n[:])
			h.Write([]byte(s))
		}
		write(strconv.Itoa(indexFormat))
		write(ps[g.pos[0]].Doc)
		for _, i := range g.pos {
			write(ps[i].Text)
		}
		g.key = hex.EncodeToString(h.Sum(nil)[:12])
	}
	return groups
}

func docID(key string, n int) string { return key + ":" + strconv.Itoa(n) }

// errInconsistent marks an index whose documents do not match its
// manifest (a crash between writes, files edited by hand): it is rebuilt.
var errInconsistent = errors.New("index does not match its manifest")

// readManifest returns the manifest of idx, checked against its count of
// documents. An index with no manifest must be empty.
func readManifest(idx bleve.Index) (map[string]int, error) {
	man := map[string]int{}
	raw, err := idx.GetInternal(manifestKey)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	if raw != nil {
		if err := json.Unmarshal(raw, &man); err != nil {
			return nil, fmt.Errorf("read manifest: %w: %w", errInconsistent, err)
		}
	}
	total := 0
	for _, n := range man {
		total += n
	}
	count, err := idx.DocCount()
	if err != nil {
		return nil, fmt.Errorf("count documents: %w", err)
	}
	if count != uint64(total) {
		return nil, fmt.Errorf("%w: %d passages indexed, manifest lists %d", errInconsistent, count, total)
	}
	return man, nil
}

// IndexStats says what bringing an index up to date did, counted in
// documents (a document's passages are indexed or kept together).
type IndexStats struct {
	Kept    int // documents already indexed, unchanged
	Added   int // documents indexed: new, or changed since
	Removed int // documents taken out: gone, or changed since
	// Passages is how many passages were indexed.
	Passages int
	Took     time.Duration
}

// ErrIndexStopped ends a build whose store is closing (a server shutting
// down); what it indexed is kept, with its manifest, and the next start
// goes on from there.
var ErrIndexStopped = errors.New("stopped: the index is closing")

// syncIndex brings idx up to date with groups of ps. Whole documents go in
// one batch with the manifest that lists them. A closed stop ends it
// between batches. persisted, when set, is called once the last batch is
// on disk (at once when nothing changed).
func syncIndex(idx bleve.Index, ps []Passage, groups []docGroup, stop <-chan struct{}, persisted func(error)) (st IndexStats, err error) {
	start := time.Now()
	defer func() { st.Took = time.Since(start) }()
	man, err := readManifest(idx)
	if err != nil {
		return st, err
	}
	want := make(map[string]bool, len(groups))
	for _, g := range groups {
		want[g.key] = true
	}
	batch := idx.NewBatch()
	pending, wrote := false, false
	flush := func(last bool) error {
		if !pending {
			return nil
		}
		raw, err := json.Marshal(man)
		if err != nil {
			return err
		}
		batch.SetInternal(manifestKey, raw)
		if last && persisted != nil {
			batch.SetPersistedCallback(persisted)
			persisted = nil
		}
		if err := idx.Batch(batch); err != nil {
			return err
		}
		batch, pending, wrote = idx.NewBatch(), false, true
		return nil
	}
	for key, n := range man {
		if want[key] {
			continue
		}
		for i := range n {
			batch.Delete(docID(key, i))
		}
		delete(man, key)
		st.Removed++
		pending = true
	}
	for _, g := range groups {
		if _, ok := man[g.key]; ok {
			st.Kept++
			continue
		}
		for i, p := range g.pos {
			if err := batch.Index(docID(g.key, i), indexDoc{Text: ps[p].Text}); err != nil {
				src := ps[p].Source
				return st, fmt.Errorf("%s:%d: %w", src.File, src.Line, err)
			}
		}
		man[g.key] = len(g.pos)
		st.Added++
		st.Passages += len(g.pos)
		pending = true
		if batch.Size() >= batchSize {
			if err := flush(false); err != nil {
				return st, err
			}
			select {
			case <-stop:
				return st, ErrIndexStopped
			default:
			}
		}
	}
	// The last batch carries the callback; when the loop flushed last, a
	// batch of the manifest alone does.
	pending = pending || (wrote && persisted != nil)
	if err := flush(true); err != nil {
		return st, err
	}
	if persisted != nil {
		persisted(nil) // nothing was written
	}
	return st, nil
}
