package kb

import (
	"fmt"
	"math"
	"strconv"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// An Index is an in-memory full-text index over passages, with bleve's CJK
// analyzer (width folding, bigrams), so any question can be answered at
// least with the best cited passages.
type Index struct {
	idx      bleve.Index
	passages []Passage
	analyzer analysis.Analyzer
	dfOnce   sync.Once
	df       map[string]uint64
	cfOnce   sync.Once
	cf       map[rune]int
	ready    chan struct{} // closed when the background build is done
	err      error         // the build's error, set before ready closes
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

// batchSize is how many passages go into one index segment.
const batchSize = 200

// NewIndex indexes passages.
func NewIndex(passages []Passage) (*Index, error) {
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
	// Scorch with no path keeps its segments in memory; it builds an index
	// of the seeds about 40× faster than NewMemOnly's upsidedown/gtreap.
	idx, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("full-text index: %w", err)
	}
	x := &Index{idx: idx, passages: passages, analyzer: m.AnalyzerNamed(cjk.AnalyzerName), ready: make(chan struct{})}
	// Indexing takes most of a load (about 100 ms for the seeds against
	// 15 ms for every structured record), so it runs in the background:
	// answers from records are ready at once, and a search waits for the
	// index (Wait).
	go func() {
		defer close(x.ready)
		// Batches of batchSize passages keep the transient memory of
		// building a segment small; scorch merges the segments.
		batch := idx.NewBatch()
		for i, p := range passages {
			if err := batch.Index(strconv.Itoa(i), indexDoc{Text: p.Text}); err != nil {
				x.err = fmt.Errorf("full-text index: %s:%d: %w", p.Source.File, p.Source.Line, err)
				return
			}
			if batch.Size() >= batchSize || i == len(passages)-1 {
				if err := idx.Batch(batch); err != nil {
					x.err = fmt.Errorf("full-text index: %w", err)
					return
				}
				batch = idx.NewBatch()
			}
		}
	}()
	return x, nil
}

// Wait blocks until the index is built and returns its build error.
func (x *Index) Wait() error {
	if x == nil {
		return nil
	}
	<-x.ready
	return x.err
}

// Search returns up to n passages best matching q, best first.
func (x *Index) Search(q string, n int) []Hit {
	if x == nil || q == "" || n <= 0 || x.Wait() != nil {
		return nil
	}
	text := query.NewMatchQuery(q)
	text.SetField("text")
	text.Analyzer = cjk.AnalyzerName
	req := bleve.NewSearchRequestOptions(text, n, 0, false)
	res, err := x.idx.Search(req)
	if err != nil {
		return nil
	}
	out := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		i, err := strconv.Atoi(h.ID)
		if err != nil || i < 0 || i >= len(x.passages) {
			continue
		}
		out = append(out, Hit{Passage: x.passages[i], Score: h.Score, N: i})
	}
	return out
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

// Close releases the index's resources once it is built.
func (x *Index) Close() error {
	if x == nil || x.idx == nil {
		return nil
	}
	x.Wait()
	return x.idx.Close()
}
