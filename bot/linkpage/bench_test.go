package linkpage

import (
	"testing"
	"time"

	"duban/handlers"
	"duban/kb"
)

// BenchmarkSign is one link of a digest line: a nonce, the payload and its
// HMAC.
func BenchmarkSign(b *testing.B) {
	s, _ := NewSigner(key, testChats, nil)
	tok := Token{Table: string(kb.KeyTasks), No: 76, Chat: "住建局工作群", Verb: "done", Expires: time.Now().Add(time.Hour)}
	for b.Loop() {
		tok.Nonce = [6]byte{}
		if _, err := s.Sign(tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify is the check every page request makes first.
func BenchmarkVerify(b *testing.B) {
	s, _ := NewSigner(key, testChats, nil)
	str, _ := s.Sign(Token{Table: string(kb.KeyTasks), No: 76, Chat: "住建局工作群", Verb: "done", Expires: time.Now().Add(time.Hour)})
	for b.Loop() {
		if _, err := s.Verify(str); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecorate puts the links of a 40-task digest into it: what a
// webhook chat's push adds to rendering.
func BenchmarkDecorate(b *testing.B) {
	s, _ := NewSigner(key, testChats, nil)
	l := &Links{Signer: s, BaseURL: "https://duban.example.gov.cn"}
	r := handlers.Reply{Head: "督办提醒"}
	for i := 1; i <= 40; i++ {
		r.Tasks = append(r.Tasks, handlers.TaskAction{Table: kb.KeyTasks, No: i})
	}
	for b.Loop() {
		if d := l.Decorate("住建局工作群", r); len(d.Lines) != 41 {
			b.Fatalf("%d lines", len(d.Lines))
		}
	}
}
