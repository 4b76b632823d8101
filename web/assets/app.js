// Placeholder until the dashboard's page lands (issue 12, "ui").
document.getElementById("app").textContent = "smsgw";
