package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Text exports come from Chinese Windows tools as often as from anything
// else: UTF-8 (with or without a BOM), UTF-16 with a BOM (Notepad's
// "Unicode"), or GB18030/GBK (the ANSI code page 936). decodeText turns
// each into UTF-8 and names the file when it is none of them.

// ErrEncoding marks a text file in no encoding duban reads.
var ErrEncoding = errors.New("not UTF-8, UTF-16 with a byte-order mark, or GB18030/GBK text")

// decodeText returns b as UTF-8 and the encoding it was in.
func decodeText(b []byte) ([]byte, string, error) {
	switch {
	case bytes.HasPrefix(b, []byte("\xef\xbb\xbf")):
		b = b[3:]
		if !utf8.Valid(b) {
			return nil, "", fmt.Errorf("%w: a UTF-8 byte-order mark, then invalid UTF-8 at byte %d", ErrEncoding, 3+invalidAt(b))
		}
		return b, "UTF-8", nil
	case bytes.HasPrefix(b, []byte("\xff\xfe")), bytes.HasPrefix(b, []byte("\xfe\xff")):
		out, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
			return nil, "", fmt.Errorf("%w: a UTF-16 byte-order mark, then invalid UTF-16", ErrEncoding)
		}
		return out, "UTF-16", nil
	case bytes.IndexByte(b, 0) >= 0:
		return nil, "", fmt.Errorf("%w: NUL bytes without a byte-order mark (UTF-16 must start with one; or not a text file)", ErrEncoding)
	case utf8.Valid(b):
		return b, "UTF-8", nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil || !readsAsText(out) {
		return nil, "", fmt.Errorf("%w: invalid UTF-8 at byte %d, and not GB18030 text either", ErrEncoding, invalidAt(b))
	}
	return out, "GB18030", nil
}

// readsAsText reports whether decoded text looks like a document: no
// replacement characters and almost only Han, ASCII and CJK punctuation.
// GB18030 decodes most byte strings to something; Latin-1 or binary bytes
// decode to rare characters, which this rejects.
func readsAsText(s []byte) bool {
	if bytes.ContainsRune(s, utf8.RuneError) {
		return false
	}
	good, all := 0, 0
	for _, r := range string(s) {
		all++
		switch {
		case r < 0x80, unicode.Is(unicode.Han, r) && r <= 0x9fff, r >= 0x3000 && r <= 0x303f, r >= 0xff00 && r <= 0xffef,
			r >= 0x2010 && r <= 0x2027, r == 0x00b7:
			good++
		}
	}
	return all == 0 || float64(good) >= 0.95*float64(all)
}
