"""Working a protection case: its states, references, the officers' actions, the thread, deadlines."""
