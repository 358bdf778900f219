"""Name search in Chinese and pinyin: the readings we index and the filter that uses them."""
