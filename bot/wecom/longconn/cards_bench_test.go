package longconn

import (
	"strconv"
	"testing"
	"time"

	"duban/bot/wecom/longconn/longconntest"
)

// BenchmarkCardTap is one tap on a card over loopback: the fake delivers
// template_card_event, the client dedups it, calls the actor and answers
// with aibot_respond_update_msg, and the fake accepts the update. WeCom
// drops a click not answered within 5 s; this is what duban adds to the
// network's share of that.
func BenchmarkCardTap(b *testing.B) {
	_, fake := cardClient(b, newTestActor())
	key := "done:key_tasks:76"
	i := 0
	for b.Loop() {
		i++
		sig := fake.UpdateSignal()
		if _, err := fake.Click(longconntest.Click{MsgID: "m" + strconv.Itoa(i), ChatID: "wrgroup1", UserID: "zhangsan", EventKey: key, TaskID: "vdei_x@key_tasks-76"}); err != nil {
			b.Fatal(err)
		}
		select {
		case <-sig:
		case <-time.After(5 * time.Second):
			b.Fatal("no update within WeCom's 5 s")
		}
	}
}
