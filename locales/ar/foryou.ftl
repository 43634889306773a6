# For you: the feed, follows, "more / less like this".

foryou-original = الأصل
