"""The response cache of reads: answers of queries kept until the next committed write."""
