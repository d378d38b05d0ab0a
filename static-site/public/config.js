// Where the page finds the gateway. null: this page's own host on port 8000 (http://localhost:8000 locally).
// A deployment that puts the gateway elsewhere replaces this file, e.g. { gatewayUrl: "https://api.example.com" }.
window.SHOP_CONFIG = { gatewayUrl: null };
