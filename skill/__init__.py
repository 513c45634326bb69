"""Who it talks to, in folders by role: `core` (front-end neutral), `alexa`, `local`,
`devtools` and `cli`. `skill.server` and `skill.lambda_function` stay where deployed skills
name them."""
