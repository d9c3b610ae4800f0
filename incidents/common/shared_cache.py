"""The shared cache (Redis in production, docs/OPERATIONS.md) as every caller must use it: a cache that
is down or slow makes a request compute its answer, never fail. Django's cache API raises instead."""

from django.core.cache import cache
from redis.exceptions import RedisError

CACHE_DOWN = (RedisError, OSError)


def cache_get(key):
    """The cached value, or None when absent or when the cache cannot be reached."""
    try:
        return cache.get(key)
    except CACHE_DOWN:
        return None


def cache_set(key, value, seconds):
    """Store for `seconds`; a cache that cannot be reached keeps nothing, silently (the next read computes)."""
    try:
        cache.set(key, value, seconds)
    except CACHE_DOWN:
        pass


def cache_delete(key):
    """Forget `key`; True unless the cache could not be reached (its entries then expire on their own)."""
    try:
        cache.delete(key)
    except CACHE_DOWN:
        return False
    return True
