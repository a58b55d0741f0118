package handlers

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"strings"

	"duban/kb/textnorm"
)

// The lexicon is data: one synonym a row, typed (lexicon/README.md). A new
// phrasing is a new row, never a new branch in code.
//
//go:embed lexicon/*.tsv
var lexiconFS embed.FS

// A tagKind is what a span of a question was recognised as.
type tagKind uint8

const (
	tagNone    tagKind = iota
	tagField           // a field asked: 谁牵头, 什么时候
	tagRole            // 牵头, 配合, 分管, 联系
	tagStatus          // 没完成, 已逾期
	tagTime            // 本月, 下半年
	tagCount           // 多少项, 一共
	tagList            // 哪些
	tagQWord           // 什么, 吗, 的
	tagGeneric         // 任务, 工作
	tagFiller          // 请问, 谢谢, 嗯
	tagScope           // 实事, 重点工作, 指标
	tagAttr            // 约束性
	tagJoint           // 共同
	tagHelp
	tagMore
	tagSyn    // an everyday word for a document term; its value is content
	tagEn     // an English word for a document term; its value is content
	tagUnit   // gazetteer: a unit
	tagPerson // gazetteer: a person
	tagTown   // gazetteer: a town (also a unit)
	tagNumber // textnorm: a task reference or another number
)

var tagNames = map[string]tagKind{
	"field": tagField, "role": tagRole, "status": tagStatus, "time": tagTime, "count": tagCount,
	"list": tagList, "qword": tagQWord, "generic": tagGeneric, "filler": tagFiller, "scope": tagScope,
	"attr": tagAttr, "joint": tagJoint, "help": tagHelp, "more": tagMore, "syn": tagSyn, "en": tagEn,
}

func (k tagKind) String() string {
	for s, v := range tagNames {
		if v == k {
			return s
		}
	}
	switch k {
	case tagUnit:
		return "unit"
	case tagPerson:
		return "person"
	case tagTown:
		return "town"
	case tagNumber:
		return "number"
	}
	return "content"
}

// An entry is one lexicon or gazetteer row: a surface and what it means.
type entry struct {
	kind  tagKind
	value string // field names, role, table kind, canonical name …
	// weak entries (one character particles) are content when content
	// surrounds them: 有 in 有机农业, 的 in 目的地.
	weak bool
	// stem entries are a unit named without its office word (人社, 医保):
	// a unit only where a role or list word says so (frame.go)
	stem bool
	// word stems are stems the documents mostly use alone (科技, 文明,
	// 攻坚): a unit only where the question opens with them and a role or
	// list word follows (科技牵头哪些)
	word bool
}

// loadLexicon reads the embedded lexicon files.
func loadLexicon() ([]lexRow, error) {
	var rows []lexRow
	err := fs.WalkDir(lexiconFS, "lexicon", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".tsv") {
			return err
		}
		f, err := lexiconFS.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
				continue
			}
			parts := strings.Split(line, "\t")
			if len(parts) != 3 {
				return fmt.Errorf("%s:%d: want type<TAB>surface<TAB>value, got %q", path, n, line)
			}
			k, ok := tagNames[parts[0]]
			if !ok {
				return fmt.Errorf("%s:%d: unknown type %q", path, n, parts[0])
			}
			rows = append(rows, lexRow{surface: textnorm.Fold(parts[1]), e: entry{kind: k, value: parts[2]}})
		}
		return sc.Err()
	})
	return rows, err
}

type lexRow struct {
	surface string
	e       entry
}

// lexicon is loaded once: it is embedded, so an error is a build defect
// that every test reports.
var lexicon, lexiconErr = loadLexicon()
