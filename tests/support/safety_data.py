"""A minimal safety data file the detector's tests build on."""

MINIMAL = """\
clause_break: '[,.]'
words:
  limb: 'leg|foot'
symptoms:
  red_flag:
    RED_FLAG_X: ['fever']
  nerve:
    NUMBNESS: [['numb', '{limb}']]
  pain:
    PAIN: ['hurts']
negation:
  before: ['not $']
"""
