# Stories: one story carried by several sources ("full coverage").

story-title = Full coverage: { $title }
story-heading = Full coverage
story-summary = { $n ->
    [one] One copy
   *[other] { $n } copies
} from { $sources ->
    [one] one source
   *[other] { $sources } sources
}, earliest first
story-first = First published
story-copies-label = Every source's copy
story-original = original
story-link = { $n ->
    [one] Full coverage: one copy
   *[other] Full coverage: { $n } copies of this story
}
