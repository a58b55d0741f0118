package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"duban/kb"
)

// TestReadTextEncodings: one task table saved in each encoding Chinese
// tools write gives the same records as the UTF-8 file.
func TestReadTextEncodings(t *testing.T) {
	utf8Text, err := os.ReadFile(filepath.Join("testdata", "tasktable_sample.txt"))
	if err != nil {
		t.Fatal(err)
	}
	encode := func(e transform.Transformer) []byte {
		b, _, err := transform.Bytes(e, utf8Text)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	want := recordsOf(t, "utf8.txt", utf8Text)
	if len(want) == 0 {
		t.Fatal("no records in the UTF-8 fixture")
	}
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"utf8-bom.txt", append([]byte("\xef\xbb\xbf"), utf8Text...)},
		{"gb18030.txt", encode(simplifiedchinese.GB18030.NewEncoder())},
		{"gbk.txt", encode(simplifiedchinese.GBK.NewEncoder())},
		{"utf16le.txt", encode(xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder())},
		{"utf16be.txt", encode(xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM).NewEncoder())},
		{"crlf.txt", []byte(strings.ReplaceAll(string(utf8Text), "\n", "\r\n"))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := recordsOf(t, tt.name, tt.data)
			for i := range got {
				got[i].Doc, got[i].Source.File = "utf8.txt", "utf8.txt"
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %d records differ from the UTF-8 file's %d", tt.name, len(got), len(want))
			}
		})
	}
}

func recordsOf(t *testing.T, name string, b []byte) []recordView {
	t.Helper()
	d, err := ReadText(name, b)
	if err != nil {
		t.Fatalf("ReadText(%s): %v", name, err)
	}
	var out []recordView
	for _, r := range canon(extractTaskTables(d)).Records {
		out = append(out, recordView{r.Doc, r.No, r.Text, strings.Join(r.LeadUnits, "、"), r.Due.ISO(), r.Source})
	}
	return out
}

type recordView struct {
	Doc    string
	No     int
	Text   string
	Units  string
	Due    string
	Source kb.Source
}

// TestReadTextBadEncoding: bytes in no supported encoding are an error
// naming the file.
func TestReadTextBadEncoding(t *testing.T) {
	for name, b := range map[string][]byte{
		"latin1.txt":  []byte("caf\xe9 cr\xe8me br\xfbl\xe9e \xe0 la fa\xe7on de Gen\xe8ve, \xe9t\xe9 \xa9 \xae"),
		"binary.txt":  {0x00, 0x01, 0x02, 0xff, 0x00, 0x10},
		"utf16no.txt": {'a', 0, 'b', 0},
	} {
		_, err := ReadText(name, b)
		var ie *Error
		if !errors.As(err, &ie) || ie.File != name || !errors.Is(err, ErrEncoding) {
			t.Errorf("ReadText(%s) = %v, want an *Error naming the file wrapping ErrEncoding", name, err)
		}
	}
}
