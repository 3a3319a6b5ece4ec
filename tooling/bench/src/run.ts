// The benchmarks are added in the next commits.
console.log("benchmarks: none yet");
