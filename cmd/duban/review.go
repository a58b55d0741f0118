package main

import (
	"fmt"
	"slices"

	"duban/bot/report"
)

// reviewConfig is `review:` (issue 18): who reviews units' completion
// claims and extension requests. Off by default, so a unit's 已完成 counts
// as done at once, as before.
type reviewConfig struct {
	Enabled bool `yaml:"enabled"`
	// Chats are configured chat names (review requests are pushed there,
	// and their conversation_ids may review) or bare conversation IDs.
	Chats []string `yaml:"chats"`
	// Users are user IDs or names who may review from any chat.
	Users []string `yaml:"users"`
	// Name is the reviewer in bylines ("已办结（督查办 9月4日）"). Default: 督查办.
	Name string `yaml:"name"`
}

// reportReview maps the config onto report.Review: a chat named in
// review.chats reviews by its name and every conversation ID it lists,
// and gets the review requests.
func (rc reviewConfig) reportReview(chats []chatConfig) report.Review {
	rv := report.Review{Enabled: rc.Enabled, Users: rc.Users, Name: rc.Name}
	for _, name := range rc.Chats {
		rv.Chats = append(rv.Chats, name)
		i := slices.IndexFunc(chats, func(c chatConfig) bool { return c.Name == name })
		if i < 0 {
			continue
		}
		rv.Notify = append(rv.Notify, name)
		rv.Chats = append(rv.Chats, chats[i].ConversationIDs...)
	}
	return rv
}

// validate names review problems by YAML path.
func (rc reviewConfig) validate() []error {
	if rc.Enabled && len(rc.Chats) == 0 && len(rc.Users) == 0 {
		return []error{fmt.Errorf("review: enabled with no chats and no users: nobody could review")}
	}
	return nil
}
