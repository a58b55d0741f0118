package outbound_test

import (
	"context"
	"fmt"

	"duban/handlers"
	"duban/outbound"
)

// lines is a Sender of one message per line of a reply, printing posts.
type lines struct{}

func (lines) Render(r handlers.Reply) []outbound.Message {
	var out []outbound.Message
	for _, l := range r.Lines {
		out = append(out, outbound.Message{Text: l, Body: []byte(`{"text":"` + l + `"}`)})
	}
	return out
}

func (lines) Limit(handlers.Reply) int { return 2048 }

func (lines) Post(_ context.Context, m outbound.Message) error {
	fmt.Printf("POST %s\n", m.Body)
	return nil
}

// A reply's cost in sends is how many messages its sender renders; Send
// posts exactly those.
func ExampleSend() {
	r := handlers.Reply{Lines: []string{"重点工作第76项 逾期4天", "为民办实事第12项 7天后到期"}}
	fmt.Println("cost:", len(lines{}.Render(r)))
	if err := outbound.Send(context.Background(), lines{}, r); err != nil {
		fmt.Println(err)
	}
	// Output:
	// cost: 2
	// POST {"text":"重点工作第76项 逾期4天"}
	// POST {"text":"为民办实事第12项 7天后到期"}
}
