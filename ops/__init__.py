"""Operations checks run by bin/check-restart, bin/check-load and the ops-marked tests."""
