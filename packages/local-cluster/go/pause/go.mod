module todo-chatbot.local/pause

go 1.24.0
