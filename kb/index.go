package kb

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// An Index is a full-text index over passages, with bleve's CJK analyzer
// (width folding, bigrams), so any question can be answered at least with
// the best cited passages. It is in memory, or kept on disk by an
// IndexStore and shared by the bases built from one documents folder.
type Index struct {
	idx      bleve.Index
	owned    bool // idx is this Index's own; a stored one belongs to its IndexStore
	passages []Passage
	groups   map[string][]int // document key → positions of its passages (indexsync.go)
	analyzer analysis.Analyzer
	dfOnce   sync.Once
	df       map[string]uint64
	cfOnce   sync.Once
	cf       map[rune]int
	ready    chan struct{} // closed when the background build is done
	begin    func()        // starts the build; run once, by start
	started  sync.Once
	err      error      // the build's error, set before ready closes
	stats    IndexStats // what the build did, set before ready closes
}

// A Hit is a passage that matched a search, with its score.
type Hit struct {
	Passage Passage
	Score   float64
	N       int // position of the passage in the indexed slice
}

// indexDoc is what bleve indexes of a passage: its text only. Headings
// repeat over every paragraph below them, so indexing them would double the
// work; callers weigh a hit's heading themselves.
type indexDoc struct {
	Text string `json:"text"`
}

// batchSize is how many passages go into one index segment, at least.
const batchSize = 200

// newMapping is the index's mapping: one analysed, unstored text field.
// A change here must bump indexFormat (indexstore.go), so stored indexes
// built with the old mapping are rebuilt.
func newMapping() mapping.IndexMapping {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = cjk.AnalyzerName
	doc := mapping.NewDocumentMapping()
	text := mapping.NewTextFieldMapping()
	text.Analyzer = cjk.AnalyzerName
	text.Store = false
	text.IncludeTermVectors = false
	doc.AddFieldMappingsAt("text", text)
	m.DefaultMapping = doc
	m.StoreDynamic = false
	m.IndexDynamic = false
	return m
}

// NewIndex indexes passages in memory, in the background (Wait).
func NewIndex(passages []Passage) (*Index, error) {
	x, err := newMemoryIndex(passages)
	if err == nil {
		x.start()
	}
	return x, err
}

// newMemoryIndex returns an in-memory index of passages whose build
// begins at start, or at the first Wait.
func newMemoryIndex(passages []Passage) (*Index, error) {
	// Scorch with no path keeps its segments in memory; it builds an index
	// of the seeds about 40× faster than NewMemOnly's upsidedown/gtreap.
	idx, err := bleve.NewUsing("", newMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("full-text index: %w", err)
	}
	x := newIndex(idx, true, passages)
	x.begin = func() { go x.build(nil, nil, nil) }
	return x, nil
}

// start begins the build, once.
func (x *Index) start() { x.started.Do(x.begin) }

func newIndex(idx bleve.Index, owned bool, passages []Passage) *Index {
	m := newMapping()
	return &Index{idx: idx, owned: owned, passages: passages, analyzer: m.AnalyzerNamed(cjk.AnalyzerName), ready: make(chan struct{})}
}

// build brings the index up to date with x.passages and closes x.ready.
// Indexing takes most of a load (about 100 ms for the seeds against 15 ms
// for every structured record), so it runs in the background: answers from
// records are ready at once, and a search waits for the index (Wait).
// lock, when set, serialises builds over a shared stored index; stop
// ends a build between batches (its store is closing); persisted is told
// when the last batch is on disk.
func (x *Index) build(lock *sync.Mutex, stop <-chan struct{}, persisted func(error)) {
	defer close(x.ready)
	groups := groupPassages(x.passages)
	x.groups = make(map[string][]int, len(groups))
	for _, g := range groups {
		x.groups[g.key] = g.pos
	}
	if lock != nil {
		lock.Lock()
		defer lock.Unlock()
	}
	var err error
	if x.stats, err = syncIndex(x.idx, x.passages, groups, stop, persisted); err != nil {
		x.err = fmt.Errorf("full-text index: %w", err)
		if persisted != nil {
			persisted(err) // nothing more will reach the disk
		}
	}
}

// Wait blocks until the index is built and returns its build error.
func (x *Index) Wait() error {
	if x == nil {
		return nil
	}
	x.start()
	<-x.ready
	return x.err
}

// Stats waits for the build and says what it did.
func (x *Index) Stats() IndexStats {
	if x == nil {
		return IndexStats{}
	}
	x.Wait()
	return x.stats
}

// Search returns up to n passages best matching q, best first; equal
// scores in passage order.
func (x *Index) Search(q string, n int) []Hit {
	if x == nil || q == "" || n <= 0 || x.Wait() != nil {
		return nil
	}
	text := query.NewMatchQuery(q)
	text.SetField("text")
	text.Analyzer = cjk.AnalyzerName
	// bleve orders equal scores as it meets the documents, which for a
	// stored index depends on how its segments were merged: while the
	// n-th hit ties with the next, ask for more, so which passages make
	// the first n is the same on every run and in memory.
	var res *bleve.SearchResult
	for size := n + 1; ; size *= 4 {
		var err error
		res, err = x.idx.Search(bleve.NewSearchRequestOptions(text, size, 0, false))
		if err != nil {
			return nil
		}
		h := res.Hits
		if len(h) < size || h[size-1].Score < h[n-1].Score || size >= maxTieHits {
			break
		}
	}
	out := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		// A stored index shared with the base a reload replaces may hold
		// documents of the other version for a moment: they are not ours.
		if i, ok := x.position(h.ID); ok {
			out = append(out, Hit{Passage: x.passages[i], Score: h.Score, N: i})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Score > out[j].Score || (out[i].Score == out[j].Score && out[i].N < out[j].N)
	})
	return out[:min(n, len(out))]
}

// maxTieHits bounds how many hits a search reads to order ties.
const maxTieHits = 4096

// position maps an index document id (docID) to its passage's position.
func (x *Index) position(id string) (int, bool) {
	key, n, ok := strings.Cut(id, ":")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(n)
	pos := x.groups[key]
	if err != nil || i < 0 || i >= len(pos) {
		return 0, false
	}
	return pos[i], true
}

// Len returns how many passages are indexed.
func (x *Index) Len() int { return len(x.passages) }

// Terms returns the terms the index's analyzer makes of s (CJK bigrams,
// width-folded, lower-cased words), so callers can measure how much of a
// question a passage covers.
func (x *Index) Terms(s string) []string {
	if x == nil || x.analyzer == nil {
		return nil
	}
	toks := x.analyzer.Analyze([]byte(s))
	out := make([]string, 0, len(toks))
	seen := map[string]bool{}
	for _, t := range toks {
		if w := string(t.Term); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// Weight returns how much a term says about a passage: ln(1+N/(1+df)) over
// the indexed passages; a term no passage contains weighs most. Common bigrams
// (建设, 项目) weigh little, rare ones (海绵, 中天) much, so matching can ask
// whether the telling part of a question was found.
func (x *Index) Weight(term string) float64 {
	if x == nil {
		return 0
	}
	x.dfOnce.Do(x.loadDF)
	df := x.df[term] // 0 for a term no passage contains: the rarest of all
	return math.Log(1 + float64(len(x.passages))/float64(1+df))
}

// loadDF reads the document frequency of every term from the index's term
// dictionary, once.
func (x *Index) loadDF() {
	x.df = map[string]uint64{}
	if x.Wait() != nil {
		return
	}
	d, err := x.idx.FieldDict("text")
	if err != nil {
		return
	}
	defer d.Close()
	for {
		e, err := d.Next()
		if err != nil || e == nil {
			return
		}
		x.df[e.Term] = e.Count
	}
}

// CharWeight is Weight for a single Han character, counted over passages:
// it lets a paraphrase match on its rare characters (绵, 检) rather than
// on common ones (建, 设).
func (x *Index) CharWeight(r rune) float64 {
	if x == nil {
		return 0
	}
	x.cfOnce.Do(func() {
		x.cf = map[rune]int{}
		for _, p := range x.passages {
			seen := map[rune]bool{}
			for _, c := range p.Text {
				if c >= 0x4e00 && !seen[c] {
					seen[c] = true
					x.cf[c]++
				}
			}
		}
	})
	return math.Log(1 + float64(len(x.passages))/float64(1+x.cf[r]))
}

var errClosed = errors.New("full-text index closed before it was built")

// Close releases the index's resources once it is built. A stored index
// stays open: its IndexStore closes it.
func (x *Index) Close() error {
	if x == nil || x.idx == nil {
		return nil
	}
	// An index never asked for is never built.
	x.started.Do(func() {
		x.err = errClosed
		close(x.ready)
	})
	<-x.ready
	if !x.owned {
		return nil
	}
	return x.idx.Close()
}
