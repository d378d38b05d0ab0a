// The suite stops and restarts the shared broker and database server: its tests must never overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
